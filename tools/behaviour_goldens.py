#!/usr/bin/env python3
"""Holds every command's whole behaviour to goldens recorded before a refactor.

Runs `prometheus` as a user would (analyze in every format on every log in
../shared/eventlogs and testdata/, observe, recommend and show on a fresh lake,
fix on the whole testdata corpus) and compares stdout, stderr and the exit code
of each run with testdata/golden/behaviour/<case>.txt. Only what changes from
run to run is masked: the lake's temporary folder, the checkout's folder and
timestamps of today.

    behaviour_goldens.py PROMETHEUS            compare; ends 'N passed, N failed'
    behaviour_goldens.py PROMETHEUS --record   write the goldens anew
    behaviour_goldens.py VENV/bin/python -I -m prometheus
                                               the same, through the Python package
"""
import datetime
import difflib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = REPO / "testdata" / "golden" / "behaviour"
LOG_ROOTS = {
    "shared": "../shared/eventlogs",
    "testdata": "testdata/eventlogs",
    "codecs": "testdata/codecs",
}
FIX_DEMO = "testdata/fix-demo/recommendations.json"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def cases(lake):
    """(name, argv) pairs in the order they must run: later ones read the
    lake earlier ones wrote."""
    out = [(f"help.{command}", [command, "--help"])
           for command in ("analyze", "observe", "recommend", "show", "fix", "whatif", "report")]
    out.append(("help", ["--help"]))
    for root_name, root in LOG_ROOTS.items():
        for fmt in ("json", "csv", "text"):
            out.append((f"analyze.{root_name}.{fmt}",
                        ["analyze", "--no-progress", "--color", "never",
                         "--format", fmt, root]))
        out.append((f"whatif.{root_name}.json",
                    ["whatif", "--format", "json", "--core-hour-price", "0.07", root]))
    out.append(("whatif.testdata.text", ["whatif", LOG_ROOTS["testdata"]]))
    sources = [arg for root in LOG_ROOTS.values() for arg in ("--source", root)]
    out += [
        ("observe.text", ["observe", "--no-progress", "--store", lake] + sources),
        ("observe.again.json",
         ["observe", "--no-progress", "--store", lake, "--format", "json"] + sources),
        ("recommend.json",
         ["recommend", "--store", lake, "--format", "json"]),
        ("recommend.again.text", ["recommend", "--store", lake]),
        ("recommend.all.text", ["recommend", "--store", lake, "--all"]),
    ]
    for table in ("prometheus_applications", "prometheus_metrics",
                  "prometheus_recommendations"):
        out.append((f"show.{table}.csv",
                    ["show", table, "--store", lake, "--format", "csv",
                     "--limit", "100000"]))
    one_app = ["--where", "app_id=app-20180109111548-0000"]
    out.append(("show.prometheus_applications.table",
                ["show", "prometheus_applications", "--store", lake] + one_app))
    out.append(("show.prometheus_metrics.json",
                ["show", "prometheus_metrics", "--store", lake, "--format", "json"]
                + one_app))
    for repo in ("testdata/pyspark", "testdata/notebooks", "testdata"):
        tag = repo.replace("/", "_")
        out.append((f"fix.demo.{tag}.diff",
                    ["fix", "--recommendations", FIX_DEMO, "--repo", repo,
                     "--color", "never"]))
        out.append((f"fix.demo.{tag}.json",
                    ["fix", "--recommendations", FIX_DEMO, "--repo", repo,
                     "--format", "json"]))
    out.append(("fix.store.testdata.json",
                ["fix", "--store", lake, "--repo", "testdata", "--format", "json"]))
    out.append(("fix.store.testdata.diff",
                ["fix", "--store", lake, "--repo", "testdata", "--color", "never"]))
    out.append(("errors.no_such_path", ["analyze", "no/such/path"]))
    out.append(("errors.show_no_table", ["show", "prometheus_metrics", "--store",
                                          lake + "-missing"]))
    out.append(("errors.fix_bad_json", ["fix", "--recommendations", "README.md",
                                         "--repo", "testdata"]))
    return out


# Cases that read the lake back: its rows come in no set order, so their
# lines (or JSON lists) are compared as sorted.
UNORDERED = ("recommend.", "show.prometheus_applications.csv",
             "show.prometheus_metrics.csv", "show.prometheus_recommendations.csv",
             "fix.store.")


def sorted_json(value):
    if isinstance(value, dict):
        return {key: sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def in_order(text):
    """The text in a canonical order: a JSON document with every list sorted,
    or else its lines sorted."""
    try:
        return json.dumps(sorted_json(json.loads(text)), indent=2) + "\n"
    except ValueError:
        return "".join(sorted(text.splitlines(keepends=True)))


def masked(text, lake):
    """The output with the lake's folder and today's timestamps masked."""
    text = text.replace(lake, "<lake>")
    # The lake stores absolute paths: the checkout's folder and its parent
    # (which holds ../shared) differ from machine to machine.
    # Only these two prefixes: a log may name other paths under the same folder.
    text = text.replace(str(REPO) + "/", "<repo>/")
    text = text.replace(str(REPO.parent / "shared") + "/", "<root>/shared/")
    today = datetime.datetime.now(datetime.timezone.utc)

    def stamp(match):
        value = datetime.datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        return "<now>" if abs(value - today) < datetime.timedelta(days=1) else match.group(0)

    return TIMESTAMP.sub(stamp, text)


def run(command, name, argv, lake):
    done = subprocess.run(command + argv, cwd=REPO, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=300)
    out, err = masked(done.stdout, lake), masked(done.stderr, lake)
    if name.startswith(UNORDERED):
        out, err = in_order(out), in_order(err)
    return (f"$ prometheus {' '.join(a.replace(lake, '<lake>') for a in argv)}\n"
            f"--- exit {done.returncode}\n--- stdout\n{out}--- stderr\n{err}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    # The program, and its own arguments (`python -m prometheus`); absolute,
    # since it runs in the checkout, but not resolved: a venv's python is a
    # symbolic link that must stay in its venv.
    command = [a for a in sys.argv[1:] if a != "--record"]
    command[0] = str(pathlib.Path(command[0]).absolute())
    record = "--record" in sys.argv[2:]
    work = tempfile.mkdtemp(prefix="prometheus-goldens-")
    lake = str(pathlib.Path(work) / "lake")
    passed = failed = 0
    try:
        if record:
            shutil.rmtree(GOLDEN, ignore_errors=True)
            GOLDEN.mkdir(parents=True)
        for name, argv in cases(lake):
            actual = run(command, name, argv, lake)
            path = GOLDEN / f"{name}.txt"
            if record:
                path.write_text(actual)
                passed += 1
                continue
            expected = path.read_text() if path.exists() else ""
            if actual == expected:
                passed += 1
                continue
            failed += 1
            print(f"FAILED {name}: output differs from {path.relative_to(REPO)}")
            diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                        "golden", "now", lineterm="", n=2)
            for number, line in enumerate(diff):
                if number == 40:
                    print("  ...")
                    break
                print("  " + line[:300])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
