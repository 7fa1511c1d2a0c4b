"""The Oracle on real positives: a scenario's known problem is flagged by the
rule meant for it, at the real call site, and its healthy twin is not."""
import os

import pytest

SCENARIOS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scenarios")


def recommendations(app, rule):
    return [r for r in app["recommendations"] if r["rule"] == rule]


def action_line(scenario, text):
    """1-based line of the scenario's source that contains `text`."""
    with open(os.path.join(SCENARIOS, scenario + ".py")) as f:
        [line] = [n for n, source in enumerate(f, 1) if text in source]
    return line


def only(analyses, scenario):
    apps = [app for (name, _, _), app in analyses.items() if name == scenario]
    if not apps:
        pytest.skip(f"{scenario} is not in this run's cases")
    return apps


def test_missed_broadcast_is_flagged_at_the_action(analyses):
    for app in only(analyses, "missed_broadcast"):
        [rec] = recommendations(app, "missed_broadcast")
        flagged = sorted(s["stage_id"] for s in app["stages"] if s["broadcast_miss_flag"])
        assert flagged and sorted(rec["scope"]["stage_ids"]) == flagged
        assert rec["scope"]["plan_node"] == "SortMergeJoin"
        evidence = rec["evidence"]
        # 500 rows of (bigint, string) against 2M rows of two bigints.
        assert evidence["small_side_bytes"] < 64 * 1024 < 10 * 2**20 == evidence["threshold_bytes"]
        assert evidence["large_side_bytes"] > 100 * evidence["small_side_bytes"]
        assert rec["fix"]["kind"] == "broadcast_hint"
        assert rec["fix"]["join_keys"] == ["product_id"]
        site = rec["fix"]["call_site"]
        assert os.path.basename(site["file"]) == "missed_broadcast.py"
        assert site["line"] == action_line("missed_broadcast", "totals.collect()")


def test_broadcast_twin_is_not_flagged(analyses):
    for app in only(analyses, "broadcast_join"):
        assert recommendations(app, "missed_broadcast") == []
        assert not any(s["broadcast_miss_flag"] for s in app["stages"])
