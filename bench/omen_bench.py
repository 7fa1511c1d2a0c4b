#!/usr/bin/env python3
"""Measures Prometheus against its performance targets (see bench/README.md).

Every target is a ratio against a baseline measured in the same run: runs of
the contestants are interleaved (the order rotates each round) so that the
noise of a shared machine hits them alike; each figure is the median wall time
over --runs rounds, with peak RSS from /usr/bin/time.

  a  prometheus --threads 1 on ev.json vs simdjson_baseline       >= 0.50
  b  the same vs python_baseline.py                                >= 10x
  c  prometheus --threads 1 on ev.json.zst vs `zstd -dc`           >= 0.80
  d  peak RSS of prometheus on the plain log                       < 200 MB
  e  prometheus --threads 2 vs --threads 1 on 8 smaller logs       >= 1.8x

It also checks the per-stage answers of every contestant against the
generator's --truth files. Missing inputs are generated first.
Exit status: 0 when measured (targets missed or not), 2 on setup errors.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_eventlog.py"
GEN_APP_ID = b"app-20200706201101-0003"  # gen_eventlog.py writes only this one
PARALLEL_LOGS = 8
GNU_TIME = "/usr/bin/time"
TRUTH_COLUMNS = ("tasks", "max_ms", "median_ms", "mem_spill", "disk_spill",
                 "shuffle_read", "shuffle_write")
# Compared for Prometheus; its p50 is not the generator's lower median.
PROMETHEUS_COLUMNS = ("tasks", "max_ms", "mem_spill", "disk_spill",
                      "shuffle_read", "shuffle_write")


class SetupError(Exception):
    pass


def size_label(size):
    for unit, name in ((10**9, "g"), (10**6, "m"), (10**3, "k")):
        if size >= unit and size % unit == 0:
            return "%d%s" % (size // unit, name)
    return str(size)


# ---------------------------------------------------------------- inputs

def run_checked(cmd, **kwargs):
    result = subprocess.run(cmd, stderr=subprocess.PIPE, **kwargs)
    if result.returncode != 0:
        raise SetupError("%s failed (%d): %s" % (
            " ".join(map(str, cmd)), result.returncode,
            result.stderr.decode(errors="replace")[-2000:]))
    return result


def generate(size, seed, out, truth, app_id=None):
    """Writes a log and its truth atomically; app_id replaces GEN_APP_ID."""
    tmp_out, tmp_truth = out.with_name(out.name + ".tmp"), truth.with_name(truth.name + ".tmp")
    cmd = [sys.executable, str(GENERATOR), "--target-bytes", str(size), "--seed", str(seed),
           "--out", "-", "--truth", str(tmp_truth)]
    with open(tmp_out, "wb") as sink, subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1 << 20) as gen:
        for line in gen.stdout:
            if app_id and GEN_APP_ID in line:
                line = line.replace(GEN_APP_ID, app_id)
            sink.write(line)
        err = gen.stderr.read()
    if gen.returncode != 0:
        raise SetupError("gen_eventlog.py failed: %s" % err.decode(errors="replace")[-2000:])
    os.replace(tmp_truth, truth)
    os.replace(tmp_out, out)


def ensure_inputs(data, size):
    """Creates what is missing; returns the paths of every input."""
    if not GENERATOR.exists():
        raise SetupError("generator not found: %s" % GENERATOR)
    data.mkdir(parents=True, exist_ok=True)
    label = size_label(size)
    plain, truth = data / ("ev_%s.json" % label), data / ("ev_%s.truth.tsv" % label)
    zst = data / ("ev_%s.json.zst" % label)
    if not plain.exists() or not truth.exists():
        log("generating %s (%d bytes)" % (plain, size))
        generate(size, 42, plain, truth)
    if not zst.exists() or zst.stat().st_mtime < plain.stat().st_mtime:
        log("compressing %s with zstd -T0 -3" % zst)
        tmp = zst.with_name(zst.name + ".tmp")
        run_checked(["zstd", "-T0", "-3", "-q", "-f", str(plain), "-o", str(tmp)])
        os.replace(tmp, zst)
    par_dir = data / ("par%d_%s" % (PARALLEL_LOGS, label))
    par_dir.mkdir(exist_ok=True)
    jobs = []
    for i in range(PARALLEL_LOGS):
        log_path, log_truth = par_dir / ("ev_%d.json" % i), par_dir / ("ev_%d.truth.tsv" % i)
        if not log_path.exists() or not log_truth.exists():
            app_id = GEN_APP_ID[:-4] + b"%04d" % (1000 + i)  # unique, or Prometheus dedups
            jobs.append((size // PARALLEL_LOGS, 1000 + i, log_path, log_truth, app_id))
    if jobs:
        log("generating %d logs of %d bytes in %s" % (len(jobs), size // PARALLEL_LOGS, par_dir))
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for future in [pool.submit(generate, *job) for job in jobs]:
                future.result()
    par = [par_dir / ("ev_%d.json" % i) for i in range(PARALLEL_LOGS)]
    par_truth = {str(p): p.with_name(p.name.replace(".json", ".truth.tsv")) for p in par}
    return plain, zst, truth, par, par_truth


def warm_page_cache(paths):
    for path in paths:
        with open(path, "rb", buffering=0) as f:
            while f.read(16 << 20):
                pass


# ---------------------------------------------------------------- measuring

def gnu_time_works():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    with tempfile.NamedTemporaryFile("r") as out:
        result = subprocess.run([GNU_TIME, "-f", "%M %e", "-o", out.name, "true"],
                                capture_output=True)
        return result.returncode == 0 and out.read().split()[:1] != []


class Contestant:
    def __init__(self, name, cmd, input_bytes, stdout_path=None):
        self.name, self.cmd, self.input_bytes = name, [str(c) for c in cmd], input_bytes
        self.stdout_path = stdout_path  # None: discarded
        self.seconds, self.rss_kb, self.stderr = [], [], ""

    def median(self):
        return statistics.median(self.seconds)

    def best(self):
        return min(self.seconds)

    def mb_per_s(self):
        return self.input_bytes / 1e6 / self.median()

    def summary(self):
        return {"command": " ".join(self.cmd), "input_bytes": self.input_bytes,
                "seconds": self.seconds, "median_seconds": self.median(), "best_seconds": self.best(),
                "mb_per_s": self.mb_per_s(), "peak_rss_kb": self.rss_kb,
                "max_rss_mb": max(self.rss_kb) / 1024 if self.rss_kb else None}


def measure(contestant, use_gnu_time, scratch):
    """Runs once; appends wall seconds and peak RSS (KiB)."""
    time_out = scratch / "time.txt"
    cmd = ([GNU_TIME, "-f", "%M %e", "-o", str(time_out)] if use_gnu_time else []) + contestant.cmd
    out = open(contestant.stdout_path, "wb") if contestant.stdout_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
    finally:
        if out is not subprocess.DEVNULL:
            out.close()
    contestant.stderr = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        raise SetupError("%s failed (%d): %s" % (contestant.name, result.returncode,
                                                  contestant.stderr[-2000:]))
    if use_gnu_time:
        rss_kb = int(time_out.read_text().split()[-2])
    else:  # a high-water mark over every child so far: an upper bound
        rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    contestant.seconds.append(seconds)
    contestant.rss_kb.append(rss_kb)


def cpu_seconds():
    """(CPU seconds all processes used, CPU seconds our children used)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"),
            children.ru_utime + children.ru_stime)


def run_rounds(contestants, runs, scratch):
    """Returns whether GNU time measured RSS, and the cores that other
    processes kept busy on average during each round."""
    use_gnu_time = gnu_time_works()
    if not use_gnu_time:
        log("warning: %s unusable; peak RSS is RUSAGE_CHILDREN's high-water mark" % GNU_TIME)
    others = []
    for r in range(runs):
        start_wall, (start_all, start_ours) = time.perf_counter(), cpu_seconds()
        order = contestants[r % len(contestants):] + contestants[:r % len(contestants)]
        for c in order:
            measure(c, use_gnu_time, scratch)
            log("round %d/%d  %-22s %7.3f s  %7.1f MB/s  %6.1f MB RSS" % (
                r + 1, runs, c.name, c.seconds[-1], c.input_bytes / 1e6 / c.seconds[-1],
                c.rss_kb[-1] / 1024))
        end_all, end_ours = cpu_seconds()
        others.append(max(0.0, (end_all - start_all) - (end_ours - start_ours)) /
                      (time.perf_counter() - start_wall))
    return use_gnu_time, others


# ---------------------------------------------------------------- correctness

def parse_tsv(text):
    lines = text.strip().splitlines()
    if not lines or lines[0].split("\t")[1:] != list(TRUTH_COLUMNS):
        raise ValueError("not a per-stage TSV")
    return {int(f[0]): dict(zip(TRUTH_COLUMNS, map(int, f[1:])))
            for f in (line.split("\t") for line in lines[1:])}


def prometheus_stages(document):
    """{source path: {stage id: row}}, stage attempts folded together."""
    apps = {}
    for app in document["applications"]:
        stages = apps.setdefault(app["source"]["path"], {})
        for s in app["stages"]:
            row = stages.setdefault(s["stage_id"], dict.fromkeys(TRUTH_COLUMNS, 0))
            row["tasks"] += s["num_completed_tasks"] + s["num_failed_tasks"] + s["num_killed_tasks"]
            row["max_ms"] = max(row["max_ms"], s["task_duration_ms_max"] or 0)
            row["median_ms"] = s["task_duration_ms_p50"] or 0
            row["mem_spill"] += s["memory_bytes_spilled"]
            row["disk_spill"] += s["disk_bytes_spilled"]
            row["shuffle_read"] += s["shuffle_read_bytes"]
            row["shuffle_write"] += s["shuffle_write_bytes"]
    return apps


def compare(expected, actual, columns):
    problems = []
    for stage in sorted(set(expected) | set(actual)):
        if stage not in actual or stage not in expected:
            problems.append("stage %d %s" % (stage, "missing" if stage in expected else "unexpected"))
            continue
        for col in columns:
            if expected[stage][col] != actual[stage][col]:
                problems.append("stage %d %s: expected %d, got %d" % (
                    stage, col, expected[stage][col], actual[stage][col]))
    return problems


def check_output(contestant, truths):
    """Mismatches of one contestant's last output against `truths` {path: tsv}."""
    text = Path(contestant.stdout_path).read_text()
    result = {"checked": [], "mismatches": [], "median_ms_differences": 0}
    try:
        if contestant.name.startswith("prometheus"):
            apps = prometheus_stages(json.loads(text))
            for path, truth_path in truths.items():
                expected = parse_tsv(Path(truth_path).read_text())
                actual = apps.get(path)
                result["checked"].append(path)
                if actual is None:
                    result["mismatches"].append("%s: no application in output" % path)
                    continue
                problems = compare(expected, actual, PROMETHEUS_COLUMNS)
                result["mismatches"] += ["%s: %s" % (Path(path).name, p) for p in problems]
                result["median_ms_differences"] += len(compare(expected, actual, ("median_ms",)))
        else:
            (path, truth_path), = truths.items()
            result["checked"].append(path)
            result["mismatches"] = compare(parse_tsv(Path(truth_path).read_text()),
                                           parse_tsv(text), TRUTH_COLUMNS)
    except (ValueError, KeyError, TypeError) as e:
        result["mismatches"].append("unreadable output: %r" % e)
    return result


# ---------------------------------------------------------------- report

def target(name, goal, ratio, check, context):
    """`ratio` maps a Contestant method (median or best) to the measured value."""
    measured, best = ratio(Contestant.median), ratio(Contestant.best)
    return {"target": name, "goal": goal, "measured": measured, "pass": check(measured),
            "best_of_runs": best, "pass_best_of_runs": check(best), "context": context}


def evaluate(c, label):
    prom, simd, py = c["prometheus_plain_t1"], c["simdjson_baseline"], c["python_baseline"]
    zst, zstd, t1, t2 = c["prometheus_zst_t1"], c["zstd_dc"], c["prometheus_par8_t1"], c["prometheus_par8_t2"]
    rss = max(prom.rss_kb) / 1024
    return [
        target("a. plain, 1 thread vs simdjson parse limit", ">= 0.50",
               lambda f: f(simd) / f(prom), lambda v: v >= 0.50,
               "prometheus %.0f MB/s, simdjson_baseline %.0f MB/s" % (prom.mb_per_s(), simd.mb_per_s())),
        target("b. plain, 1 thread vs python json.loads", ">= 10x",
               lambda f: f(py) / f(prom), lambda v: v >= 10,
               "prometheus %.0f MB/s, python %.0f MB/s" % (prom.mb_per_s(), py.mb_per_s())),
        target("c. .zst, 1 thread vs zstd -dc", ">= 0.80",
               lambda f: f(zstd) / f(zst), lambda v: v >= 0.80,
               "prometheus %.0f MB/s, zstd -dc %.0f MB/s (decompressed)" % (
                   zst.mb_per_s(), zstd.mb_per_s())),
        target("d. peak RSS, %s plain log" % label, "< 200 MB", lambda f: rss, lambda v: v < 200,
               "max over runs; simdjson_baseline %.0f MB, python %.0f MB" % (
                   max(simd.rss_kb) / 1024, max(py.rss_kb) / 1024)),
        target("e. 8 logs, --threads 2 vs --threads 1", ">= 1.8x",
               lambda f: f(t1) / f(t2), lambda v: v >= 1.8,
               "t1 %.0f MB/s, t2 %.0f MB/s; t2 RSS %.0f MB" % (
                   t1.mb_per_s(), t2.mb_per_s(), max(t2.rss_kb) / 1024)),
    ]


def print_report(contestants, targets, correctness, others):
    print("\n%-24s %9s %9s %9s %9s  %s" % ("contestant", "median s", "best s", "MB/s", "RSS MB",
                                          "runs (s)"))
    for c in contestants:
        print("%-24s %9.3f %9.3f %9.1f %9.1f  %s" % (
            c.name, c.median(), c.best(), c.mb_per_s(), max(c.rss_kb) / 1024,
            " ".join("%.3f" % s for s in c.seconds)))
    print("\n%-46s %9s %9s %5s %9s %5s  %s" % ("target", "goal", "median", "", "best-of", "",
                                               "context (MB/s at the median)"))
    for t in targets:
        print("%-46s %9s %9.2f %5s %9.2f %5s  %s" % (
            t["target"], t["goal"], t["measured"], "PASS" if t["pass"] else "FAIL",
            t["best_of_runs"], "PASS" if t["pass_best_of_runs"] else "FAIL", t["context"]))
    print("\nother processes kept %s core(s) busy on average in rounds 1..%d%s" % (
        " ".join("%.2f" % x for x in others), len(others),
        "; the 2-thread figures (c, e) need an idle second core" if max(others) > 0.1 else ""))
    print("\ncorrectness against the generator's --truth:")
    for name, r in correctness.items():
        note = ("; p50 differs from the lower median in %d stage(s) (not counted)"
                % r["median_ms_differences"]) if r["median_ms_differences"] else ""
        print("  %-24s %s%s" % (name, "OK" if not r["mismatches"] else
                                "%d MISMATCH(ES)" % len(r["mismatches"]), note))
        for problem in r["mismatches"][:5]:
            print("      " + problem)


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prometheus", type=Path, default=ROOT / "build" / "prometheus")
    p.add_argument("--baseline", type=Path, default=ROOT / "build" / "bench" / "simdjson_baseline")
    p.add_argument("--data", type=Path,
                   default=Path(os.environ.get("PROMETHEUS_BENCH_DATA", "/work/benchdata")))
    p.add_argument("--size", type=lambda s: int(float(s)), default=10**9,
                   help="bytes of the big log (default 1e9); the 8 parallel logs share it")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "omen_bench_results.json",
                   help="JSON results (default: in /tmp; do not commit results)")
    return p.parse_args()


def main():
    args = parse_args()
    try:
        for binary in (args.prometheus, args.baseline):
            if not os.access(binary, os.X_OK):
                raise SetupError("not an executable: %s (build it first, see bench/README.md)" % binary)
        if args.runs < 1 or args.size < 10**6:
            raise SetupError("--runs must be >= 1 and --size >= 1e6")
        plain, zst, truth, par, par_truth = ensure_inputs(args.data, args.size)
        scratch = Path(tempfile.mkdtemp(prefix="omen_bench_"))
        kernel = run_checked([str(args.baseline), str(plain)], stdout=subprocess.DEVNULL).stderr
        kernel = kernel.decode().split()[0]  # also warms the page cache
        warm_page_cache([zst] + par)
        prom = [args.prometheus, "analyze", "--format", "json"]
        plain_bytes, par_bytes = plain.stat().st_size, sum(p.stat().st_size for p in par)
        contestants = [
            Contestant("prometheus_plain_t1", prom + ["--threads", "1", plain], plain_bytes,
                       scratch / "prometheus_plain_t1.json"),
            Contestant("simdjson_baseline", [args.baseline, plain], plain_bytes,
                       scratch / "simdjson_baseline.tsv"),
            Contestant("python_baseline", [sys.executable, ROOT / "bench" / "python_baseline.py", plain],
                       plain_bytes, scratch / "python_baseline.tsv"),
            Contestant("prometheus_zst_t1", prom + ["--threads", "1", zst], plain_bytes,
                       scratch / "prometheus_zst_t1.json"),
            Contestant("zstd_dc", ["zstd", "-dc", zst], plain_bytes),
            Contestant("prometheus_par8_t1", prom + ["--threads", "1"] + par, par_bytes,
                       scratch / "prometheus_par8_t1.json"),
            Contestant("prometheus_par8_t2", prom + ["--threads", "2"] + par, par_bytes,
                       scratch / "prometheus_par8_t2.json"),
        ]
        load_before = os.getloadavg()
        gnu_time, round_others = run_rounds(contestants, args.runs, scratch)
    except (SetupError, OSError) as e:
        log("omen_bench: setup error: %s" % e)
        return 2

    by_name = {c.name: c for c in contestants}
    targets = evaluate(by_name, size_label(args.size))
    truths = {
        "prometheus_plain_t1": {str(plain): truth}, "prometheus_zst_t1": {str(zst): truth},
        "prometheus_par8_t1": par_truth, "prometheus_par8_t2": par_truth,
        "simdjson_baseline": {str(plain): truth}, "python_baseline": {str(plain): truth},
    }
    correctness = {name: check_output(by_name[name], t) for name, t in truths.items()}
    print_report(contestants, targets, correctness, round_others)
    machine = {"host": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
               "loadavg_before": load_before, "loadavg_after": os.getloadavg(),
               "other_processes_cores_per_round": round_others}
    prometheus_built = datetime.datetime.fromtimestamp(args.prometheus.stat().st_mtime)
    results = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "prometheus_mtime": prometheus_built.isoformat(timespec="seconds"),
        "simdjson_baseline": kernel,
        "runs": args.runs,
        "rss_source": GNU_TIME if gnu_time else "RUSAGE_CHILDREN",
        "outputs": str(scratch),
        "targets": targets,
        "contestants": {c.name: c.summary() for c in contestants},
        "correctness": correctness,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print("\nresults: %s   outputs: %s" % (args.out, scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
