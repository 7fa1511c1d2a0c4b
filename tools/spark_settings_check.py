#!/usr/bin/env python3
"""Checks the conf fixes against a real Spark (issue 10 item 9).

    PYTHON_WITH_PYSPARK tools/spark_settings_check.py PROMETHEUS

Run it with an interpreter that has pyspark (and a JDK on the PATH); it is
not part of ctest. It checks that
1. every static SQL setting this Spark defines is in the classifier's list
   (src/prometheus/fix/settings.cc), so none is taken for a runtime one;
2. a job fixed by `prometheus fix --apply` with two startup settings and a
   runtime one starts, and each setting is in effect: the startup ones in
   the SparkContext's config, the runtime one in the session's;
3. the fix that `fix` used to write, spark.conf.set of a startup setting
   after getOrCreate(), is refused by this Spark.
Ends with 'N passed, N failed'.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
SETTINGS = REPO / "src" / "prometheus" / "fix" / "settings.cc"

JOB = '''from pyspark.sql import SparkSession

spark = (
    SparkSession.builder
    .master("local[1]")
    .appName("settings_check")
    .getOrCreate()
)
context = spark.sparkContext.getConf()
print("context", context.get("spark.dynamicAllocation.enabled", None))
print("context", context.get("spark.scheduler.listenerbus.eventqueue.capacity", None))
print("session", spark.conf.get("spark.sql.adaptive.enabled"))
spark.stop()
'''

RECOMMENDATIONS = {"recommendations": [
    {"id": "d1", "fix": {"kind": "conf", "key": "spark.dynamicAllocation.enabled",
                         "value": "true", "applies": "startup"}},
    {"id": "e2", "fix": {"kind": "conf",
                         "key": "spark.scheduler.listenerbus.eventqueue.capacity",
                         "value": "30000"}},
    {"id": "f3", "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled",
                         "value": "false", "applies": "runtime"}},
]}

REFUSED = '''from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").getOrCreate()
try:
    spark.conf.set("spark.dynamicAllocation.enabled", "true")
    print("accepted")
except Exception as error:
    print("refused", type(error).__name__)
spark.stop()
'''

STATIC = '''import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").getOrCreate()
conf = spark._jvm.org.apache.spark.sql.internal.SQLConf
keys = []
it = conf.get().getAllDefinedConfs().iterator()
while it.hasNext():
    keys.append(str(it.next()._1()))
listed = json.loads(sys.argv[1])
print(json.dumps({
    "unlisted": sorted(k for k in keys if conf.isStaticConfigKey(k) and k not in listed),
    "not_static_here": sorted(k for k in listed if not conf.isStaticConfigKey(k)),
}))
spark.stop()
'''


def run_python(code, *args):
    """Runs `code` with this interpreter: its stdout, exit code and stderr."""
    result = subprocess.run([sys.executable, "-c", code, *args],
                            capture_output=True, text=True, timeout=600)
    return result.stdout, result.returncode, result.stderr


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    prometheus = pathlib.Path(sys.argv[1]).resolve()
    passed = failed = 0

    def check(ok, what, detail=""):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))

    listed = re.findall(r'^\s+"(spark\.sql\.[^"]+)",', SETTINGS.read_text(), re.M)
    out, code, err = run_python(STATIC, json.dumps(listed))
    report = json.loads(out.strip().splitlines()[-1]) if code == 0 else {}
    check(code == 0 and not report["unlisted"],
          "every static SQL setting of this Spark is listed", report or err[-2000:])
    if report.get("not_static_here"):
        print("     listed for other Spark versions or modules:",
              ", ".join(report["not_static_here"]))

    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        (folder / "repo").mkdir()
        job = folder / "repo" / "job.py"
        job.write_text(JOB)
        recommendations = folder / "recommendations.json"
        recommendations.write_text(json.dumps(RECOMMENDATIONS))
        fixed = subprocess.run(
            [str(prometheus), "fix", "--recommendations", str(recommendations),
             "--repo", str(folder / "repo"), "--apply", "--color", "never"],
            capture_output=True, text=True, timeout=600)
        check(fixed.returncode == 0 and "3 applied" in fixed.stderr,
              "fix --apply applies the three settings", fixed.stderr)
        out, code, err = run_python(job.read_text())
        check(code == 0, "the fixed job starts", err[-2000:])
        check(out.splitlines() == ["context true", "context 30000", "session false"],
              "each setting is in effect", out)

    out, code, err = run_python(REFUSED)
    check(code == 0 and out.strip().startswith("refused"),
          "spark.conf.set of a startup setting is refused", out + err[-2000:])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
