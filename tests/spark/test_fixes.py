"""The Titan on real call sites (issue 11 §2): each scenario's fix comes
from the real log of its real run, `prometheus fix --apply` places it in a
copy of the scenario's own code from the log's call site (the line of the
action, not of the join), the fixed job runs again, and the two logs are
compared by `prometheus analyze`. Only scenarios whose fix is applied run
again. The figures go to .cache/spark-report/ (tools/spark_fixes.py), and a
fix that does not improve its scenario says so there."""
import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))
import spark_fixes  # noqa: E402

# The problem job's codec: the one the other tests' logs already have.
CODEC = "zstd"
QUICK = ["missed_broadcast"]


def selected(config):
    if config.getoption("quick"):
        return QUICK
    only = config.getoption("scenario")
    return sorted(s for s in spark_fixes.PROBLEMS if not only or s in only)


def pytest_generate_tests(metafunc):
    if "scenario" in metafunc.fixturenames:
        wanted = [s for s in selected(metafunc.config)
                  if s in getattr(metafunc.function, "scenarios", spark_fixes.PROBLEMS)]
        metafunc.parametrize("scenario", wanted)


@pytest.fixture(scope="session")
def results(request, tmp_path_factory):
    """Every selected scenario tried once; the report written at the end."""
    binary = request.config.getoption("prometheus")
    work = str(tmp_path_factory.mktemp("fixes"))
    done = {s: spark_fixes.try_scenario(binary, s, CODEC, work, log=lambda *_: None)
            for s in selected(request.config)}
    yield done
    spark_fixes.write_report(list(done.values()))


def source_line(scenario, text):
    """1-based line of the scenario's source that contains `text`, once."""
    with open(os.path.join(spark_fixes.SCENARIOS, scenario + ".py")) as f:
        [line] = [n for n, source in enumerate(f, 1) if text in source]
    return line


# Fixes the Titan cannot place yet, with the reason it gives (reported, and
# failing here once it can, so that this list stays true).
KNOWN_GAPS = {
    # The plan names the CSV file's resolved path, and the log no call site
    # (DataFrame.count() leaves none, below). The read is found through
    # os.path.join(<a call>, "events.csv") (rewrite/name_pattern.h), but the
    # job rebinds `events` to a filtered DataFrame that the three actions
    # use, and the cache fix counts the uses of the read's own binding (one).
    "repeated_scan": "fewer than twice",
    # PySpark 3.5's DataFrame.count() leaves no Python call site in the log
    # (its stages are "count at NativeMethodAccessorImpl.java:0"), and a
    # repartition goes before the wide operation of a line.
    "tiny_tasks": "names no call site",
}


# Fixes applied and in effect that leave the problem as it was (and failing
# here once they do change it).
KNOWN_INEFFECTIVE = {
    # AQE (on by default) coalesces the sort's shuffle partitions up to its
    # advisory size, so the fix lowers that (64m -> 23m). But the job asks
    # for 4 shuffle partitions and AQE never splits one: the sort runs 4
    # tasks instead of 3 and spills about as much. The message says so
    # ("raise spark.sql.shuffle.partitions to at least 5 as well"); the
    # fix, one setting, is the advisory size.
    "spill",
}


def test_the_problem_is_flagged_and_its_fix_lands(scenario, results):
    r = results[scenario]
    assert r["flagged"], r["recommendations"]
    if scenario in KNOWN_GAPS:
        assert r["status"] == "skipped" and KNOWN_GAPS[scenario] in r["note"], r
    elif r["status"] == "applied":
        assert r["second_run"] == "present", "the fix is not idempotent"
        if scenario in KNOWN_INEFFECTIVE:
            # The claim is the one above: the same spill, at most the one
            # more task AQE can keep. Task time is not part of it: under
            # CI's load two runs differ by more than the noise band.
            delta = r["delta"]
            assert r["still_flagged"], r["after_recommendations"]
            assert 0 <= delta["num_tasks"]["change"] <= 1, delta
            for figure in ("memory_bytes_spilled", "disk_bytes_spilled"):
                fell = -100.0 * delta[figure]["change"] / delta[figure]["before"]
                assert fell <= spark_fixes.NOISE_PERCENT, delta
        else:
            assert not r["still_flagged"], (
                f"{r['rule']} still flagged after the fix: {r['after_recommendations']}")
    else:
        # Only what cannot be applied safely is left: never a silent skip.
        assert r["status"] == "described" and r["safety"] in ("manual", "unsafe"), r


test_the_problem_is_flagged_and_its_fix_lands.scenarios = set(spark_fixes.PROBLEMS)


def test_missed_broadcast_hint_follows_the_action_back_to_the_join(scenario, results):
    r = results[scenario]
    fix = r["fix"]
    # The log names the small side by its side and keys only (it was built
    # with createDataFrame), and the call site is the action's line.
    assert (fix["kind"], fix["table"], fix["path"], fix["side"], fix["join_keys"]) == (
        "broadcast_hint", None, None, "right", ["product_id"])
    assert fix["call_site"]["line"] == source_line(scenario, "totals.collect()")
    assert (r["status"], r["edited"]) == (
        "applied", {"missed_broadcast.py": [source_line(scenario, "facts.join(products")]})
    assert 'joined = facts.join(F.broadcast(products), "product_id")' in (
        r["fixed_source"]["missed_broadcast.py"])
    # The fixed job broadcasts the dimension: no sort-merge join is left and
    # the 2M-row fact table is no longer shuffled for it.
    joins = [p for p in r["after_plans"] if "Join" in p]
    assert joins and all("BroadcastHashJoin" in p and "SortMergeJoin" not in p for p in joins)
    assert r["after"]["shuffle_write_bytes"] < r["before"]["shuffle_write_bytes"] / 10


test_missed_broadcast_hint_follows_the_action_back_to_the_join.scenarios = {"missed_broadcast"}


def test_spill_setting_is_in_effect_in_the_fixed_run(scenario, results):
    r = results[scenario]
    fix = r["fix"]
    # Under AQE the advisory size, not spark.sql.shuffle.partitions, sets
    # how much a reducer reads (rules/spill.toml).
    assert (fix["kind"], fix["key"], fix["applies"]) == (
        "conf", "spark.sql.adaptive.advisoryPartitionSizeInBytes", "runtime")
    # No file spells `SparkSession.builder...getOrCreate()` (_common.py builds
    # the session from a variable): the job's own setting, a dict entry it
    # hands to session(), is changed in place.
    line = source_line(scenario, '"spark.sql.adaptive.advisoryPartitionSizeInBytes"')
    assert (r["status"], r["edited"]) == ("applied", {"spill.py": [line]})
    assert f'"{fix["key"]}": "{fix["value"]}"' in r["fixed_source"]["spill.py"]
    assert r["fixed_source"]["_common.py"] == open(
        os.path.join(spark_fixes.SCENARIOS, "_common.py")).read()
    assert r["after_configs"].get(fix["key"]) == fix["value"]

test_spill_setting_is_in_effect_in_the_fixed_run.scenarios = {"spill"}


def test_fixes_that_are_only_described_are_not_run_again(scenario, results):
    r = results[scenario]
    assert r["status"] == "described" and "after" not in r
    assert r["fix"]["kind"] == {"python_udf": "udf_to_builtin",
                                "skewed_aggregation": "salting"}[scenario]


test_fixes_that_are_only_described_are_not_run_again.scenarios = {
    "python_udf", "skewed_aggregation"}


def test_the_report_has_every_scenario_tried(results, tmp_path):
    path = spark_fixes.write_report(list(results.values()), str(tmp_path))
    text = open(path).read()
    for scenario, r in results.items():
        assert f"| {scenario} |" in text
        if "delta" in r:
            assert r["verdict"] in text
