#!/usr/bin/env python3
"""Before and after: each scenario's fix, taken from the real log of its
real run, applied by `prometheus fix --apply` to a copy of its code; the
fixed job run again; the two logs measured by `prometheus analyze`.

    .venv/bin/python tools/spark_fixes.py [--prometheus build/prometheus] [SCENARIO ...]

Writes the report (report.md, report.json) to .cache/spark-report/ unless
--report says elsewhere. tests/spark/test_fixes.py asserts on the same
results; `./dev demo --spark` shows one scenario with --demo.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(REPO, "scenarios")
sys.path.insert(0, SCENARIOS)
import run as scenarios  # noqa: E402

REPORT = os.path.join(REPO, ".cache", "spark-report")

# scenario -> the rule meant for its problem, and --threshold values that
# scale production gates (30 s tasks, 5000 tasks, 1 GiB re-read) to these
# small runs, as tests/spark/test_oracle.py does.
PROBLEMS = {
    "missed_broadcast": ("missed_broadcast", []),
    "spill": ("spill", []),
    "python_udf": ("python_udf", []),
    "skewed_aggregation": ("skew_time", ["skew_time.skew_min_task=1000"]),
    "tiny_tasks": ("tiny_tasks", ["tiny_tasks.tiny_min_tasks=1000"]),
    "repeated_scan": ("repeated_scan", ["repeated_scan.min_reread_bytes=1000000"]),
}

# The application figures compared, from `analyze --format json`'s summary.
FIGURES = ("duration_ms", "task_time_ms", "num_tasks", "memory_bytes_spilled",
           "disk_bytes_spilled", "shuffle_read_bytes", "shuffle_write_bytes")
# Lower is better for every figure; these must not grow for a fix to count
# as an improvement, and one of them must fall.
WORK = ("task_time_ms", "memory_bytes_spilled", "disk_bytes_spilled",
        "shuffle_read_bytes", "shuffle_write_bytes")

# The fixed job's log is written uncompressed, so that its plans and SQL
# settings can be read here with plain json (the codec does not change how
# the job runs).
AFTER_CODEC = "none"


def analyze(binary, log, thresholds):
    """The one application of `prometheus analyze --format json`."""
    command = [binary, "analyze", "--format", "json", log]
    for value in thresholds:
        command += ["--threshold", value]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    [app] = json.loads(done.stdout)["applications"]
    return app


def events(log):
    """The events of an uncompressed, single-file log."""
    with open(log) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def plan_facts(log):
    """From an uncompressed log: the physical plan of each SQL execution,
    and the settings the job ran with: the Spark properties it started with
    (SparkListenerEnvironmentUpdate), then the SQL settings each query ran
    with (`modifiedConfigs`, Spark 3.4+) over them."""
    plans, configs = [], {}
    for event in events(log):
        kind = event.get("Event", "")
        if kind == "SparkListenerEnvironmentUpdate":
            configs.update(dict(event.get("Spark Properties") or {}))
        elif kind.endswith("SparkListenerSQLExecutionStart"):
            plans.append(event.get("physicalPlanDescription", ""))
            configs.update(event.get("modifiedConfigs") or {})
    return plans, configs


def copy_source(scenario, folder):
    """The scenario's script and the module it imports, in `folder`."""
    os.makedirs(folder, exist_ok=True)
    for name in (scenario + ".py", "_common.py"):
        shutil.copy(os.path.join(SCENARIOS, name), os.path.join(folder, name))


def apply_fix(binary, recommendation, folder):
    """`prometheus fix --apply --format json` of one recommendation on
    `folder`: its report."""
    recs = os.path.join(folder, "..", os.path.basename(folder) + ".recommendations.json")
    with open(recs, "w") as f:
        json.dump({"recommendations": [recommendation]}, f, indent=1)
    done = subprocess.run([binary, "fix", "--recommendations", recs, "--repo", folder,
                           "--apply", "--format", "json", "--color", "never"],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"prometheus fix failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout)


def edited_lines(diff):
    """The 1-based lines the unified diff adds or changes, in the new file."""
    lines, line = [], 0
    for text in diff.splitlines():
        if text.startswith("@@"):
            line = int(text.split("+")[1].split(",")[0].split(" ")[0])
        elif text.startswith("+") and not text.startswith("+++"):
            lines.append(line)
            line += 1
        elif not text.startswith("-") and line:
            line += 1
    return lines


def figures(app):
    summary = app["summary"]
    return {name: summary[name] for name in FIGURES}


def deltas(before, after):
    out = {}
    for name in FIGURES:
        b, a = before[name], after[name]
        out[name] = {"before": b, "after": a, "change": a - b,
                     "percent": round(100.0 * (a - b) / b, 1) if b else None}
    return out


# Two runs of one job on this machine differ by a few percent in spill and
# time (task scheduling order, memory pressure): a change within the band
# is noise, in either direction.
NOISE_PERCENT = 10.0


def verdict(change):
    """`improved` when no work figure grew beyond the noise band and one fell
    beyond it; else `not improved`."""
    def percent(name):
        c = change[name]
        if c["before"]:
            return 100.0 * c["change"] / c["before"]
        return 0.0 if not c["after"] else float("inf")
    work = [percent(name) for name in WORK]
    if all(p <= NOISE_PERCENT for p in work) and any(p < -NOISE_PERCENT for p in work):
        return "improved"
    return "not improved"


def try_scenario(binary, scenario, codec, work_dir, log=print):
    """Runs (or takes from the cache) the scenario, applies its fix to a
    copy of its code and, when the fix was applied, runs the copy again.
    The result is a dict; see the report's columns."""
    rule, thresholds = PROBLEMS[scenario]
    log(f"[{scenario}] the problem job, event logging on ({codec})")
    before_log = scenarios.run(scenario, codec)
    log(f"[{scenario}] its log: {before_log}")
    app = analyze(binary, before_log, thresholds)
    found = [r for r in app["recommendations"] if r["rule"] == rule]
    result = {"scenario": scenario, "rule": rule, "codec": codec, "before_log": before_log,
              "recommendations": sorted({(r["rule"], r["fix"]["kind"])
                                         for r in app["recommendations"]}),
              "flagged": bool(found), "before": figures(app)}
    if len(found) != 1:
        result["status"] = "not flagged" if not found else "flagged more than once"
        return result
    [rec] = found
    result.update(fix=rec["fix"], message=rec["message"])
    folder = os.path.join(work_dir, scenario)
    copy_source(scenario, folder)
    report = apply_fix(binary, rec, folder)
    [outcome] = report["fixes"]
    result.update(status=outcome["status"], safety=outcome["safety"],
                  file=outcome.get("file"), line=outcome.get("line"),
                  note=outcome.get("note"),
                  diff="".join(f.get("diff", "") for f in report["files"]),
                  edited={f["path"]: edited_lines(f.get("diff", "")) for f in report["files"]
                          if f.get("diff")})
    log(f"[{scenario}] fix {outcome['status']}: {outcome.get('note')}")
    if outcome["status"] != "applied":
        return result
    result["fixed_source"] = {name: open(os.path.join(folder, name)).read()
                              for name in sorted(os.listdir(folder))}
    # A second run of the same fix on the fixed code finds it there.
    again = apply_fix(binary, rec, folder)
    result["second_run"] = again["fixes"][0]["status"]
    log(f"[{scenario}] the fixed job, event logging on ({AFTER_CODEC})")
    after_log = scenarios.run(scenario, AFTER_CODEC, source=folder, variant="fixed")
    log(f"[{scenario}] its log: {after_log}")
    after = analyze(binary, after_log, thresholds)
    plans, configs = plan_facts(after_log)
    result.update(after_log=after_log, after=figures(after),
                  still_flagged=any(r["rule"] == rule for r in after["recommendations"]),
                  after_recommendations=sorted({(r["rule"], r["fix"]["kind"])
                                                for r in after["recommendations"]}),
                  after_plans=plans, after_configs=configs,
                  after_stage_tasks=[s["num_tasks"] for s in after["stages"]],
                  before_stage_tasks=[s["num_tasks"] for s in app["stages"]])
    result["delta"] = deltas(result["before"], result["after"])
    result["verdict"] = verdict(result["delta"])
    return result


def machine():
    """Where the figures were measured."""
    load = os.getloadavg()
    return {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "load_average_1m": round(load[0], 2),
            "platform": platform.platform(), "python": platform.python_version(),
            "spark": importlib.metadata.version("pyspark"),
            "master": os.environ.get("SCENARIO_MASTER", "local[2]")}


def human(name, value):
    if value is None:
        return "-"
    if "bytes" in name:
        for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if abs(value) >= size:
                return f"{value / size:.1f} {unit}"
        return f"{value} B"
    if name.endswith("_ms"):
        return f"{value / 1000:.1f} s"
    return str(value)


def fix_text(fix):
    kind = fix["kind"]
    if kind == "conf":
        return f"conf {fix['key']}={fix['value']}"
    if kind == "broadcast_hint":
        what = fix.get("table") or fix.get("path") or f"{fix.get('side')} side"
        return f"broadcast_hint {what} on {', '.join(fix.get('join_keys') or [])}"
    if kind == "repartition":
        return f"repartition {fix['partitions']}" + (f" by {fix['key']}" if fix.get("key") else "")
    if kind == "cache":
        return f"cache {fix.get('table') or os.path.basename(fix.get('path') or '')}"
    return kind


def markdown(results, where):
    lines = ["# Scenario fixes: before and after", "",
             f"Measured {where['when']} on {where['cpus']} CPUs ({where['platform']}), "
             f"load average {where['load_average_1m']} at the end, Spark {where['spark']} "
             f"{where['master']}; figures from `prometheus analyze` of the two logs "
             "(wall = application duration, task = Σ executor run time).", "",
             "| scenario | rule flagged | fix | status | edited | wall | task time | spill (disk) "
             "| shuffle read | shuffle write | tasks | problem gone | verdict |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        edited = r.get("edited") or {}
        place = ", ".join(f"{path}:{','.join(map(str, lines))}"
                          for path, lines in sorted(edited.items())) or "-"
        row = [r["scenario"], r["rule"] if r["flagged"] else f"{r['rule']}: no",
               fix_text(r["fix"]) if "fix" in r else "-", r.get("status", "-"), place]
        if "delta" in r:
            d = r["delta"]

            def cell(name):
                p = d[name]["percent"]
                return (f"{human(name, d[name]['before'])} → {human(name, d[name]['after'])}"
                        + (f" ({p:+.0f}%)" if p is not None else ""))
            row += [cell("duration_ms"), cell("task_time_ms"), cell("disk_bytes_spilled"),
                    cell("shuffle_read_bytes"), cell("shuffle_write_bytes"), cell("num_tasks"),
                    "yes" if not r["still_flagged"] else "no", r["verdict"]]
        else:
            row += ["-"] * 6 + ["-", "not rerun"]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    lines += ["", "Notes:", ""]
    for r in results:
        if r.get("note"):
            lines.append(f"- `{r['scenario']}`: {r['note']}")
    lines.append("")
    return "\n".join(lines)


def write_report(results, folder=REPORT):
    """report.json and report.md of `results` in `folder`; returns the
    markdown's path."""
    os.makedirs(folder, exist_ok=True)
    where = machine()
    slim = [{k: v for k, v in r.items() if k not in ("fixed_source", "after_plans")}
            for r in results]
    with open(os.path.join(folder, "report.json"), "w") as f:
        json.dump({"machine": where, "scenarios": slim}, f, indent=1)
    path = os.path.join(folder, "report.md")
    with open(path, "w") as f:
        f.write(markdown(results, where))
    return path


def demo(binary, scenario, codec):
    """One scenario end to end, told step by step."""
    rule, thresholds = PROBLEMS[scenario]
    with tempfile.TemporaryDirectory(prefix="prometheus-demo-") as work:
        print(f"== 1. run the problem job {scenario} with event logging "
              "(cached in .cache/scenario-logs after the first time)")
        log = scenarios.run(scenario, codec)
        print(log)
        print("\n== 2. prometheus analyze")
        command = [binary, "analyze", log]
        for value in thresholds:
            command += ["--threshold", value]
        subprocess.run(command, check=True)
        print(f"\n== 3. prometheus fix --apply on a copy of scenarios/{scenario}.py")
        result = try_scenario(binary, scenario, codec, work,
                              log=lambda message: print("   " + message, flush=True))
        print(result.get("diff") or "(no change)")
        print(f"fix: {result.get('status')}: {result.get('note')}")
        if "delta" not in result:
            print("the fix was not applied: nothing to run again")
            return 1
        print("\n== 4. the fixed job, run again with event logging (above); its log:")
        print(result["after_log"])
        print("\n== 5. before → after (prometheus analyze of the two logs)")
        for name, d in result["delta"].items():
            p = d["percent"]
            print(f"  {name:22} {human(name, d['before']):>10} → {human(name, d['after']):>10}"
                  + (f"  ({p:+.0f}%)" if p is not None else ""))
        print(f"  {rule} flagged after the fix: {'yes' if result['still_flagged'] else 'no'}"
              f"; verdict: {result['verdict']}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="*",
                        help=f"default: all of {', '.join(sorted(PROBLEMS))}")
    parser.add_argument("--prometheus", default=os.path.join(REPO, "build", "prometheus"))
    parser.add_argument("--codec", choices=scenarios.CODECS, default="zstd",
                        help="the problem job's log codec")
    parser.add_argument("--report", default=REPORT, help="the report's folder")
    parser.add_argument("--demo", action="store_true", help="tell one scenario step by step")
    args = parser.parse_args()
    unknown = sorted(set(args.scenario) - set(PROBLEMS))
    if unknown:
        parser.error(f"no known problem for {', '.join(unknown)}; known: {', '.join(sorted(PROBLEMS))}")
    if not os.access(args.prometheus, os.X_OK):
        parser.error(f"no prometheus binary at {args.prometheus} (make build)")
    if args.demo:
        return demo(args.prometheus, (args.scenario or ["missed_broadcast"])[0], args.codec)
    with tempfile.TemporaryDirectory(prefix="prometheus-fixes-") as work:
        results = [try_scenario(args.prometheus, s, args.codec, work)
                   for s in (args.scenario or sorted(PROBLEMS))]
    print(write_report(results, args.report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
