"""Conf fixes against the real Spark (issue 10 item 9): the classifier's
static SQL settings are all of this Spark's; a job fixed by
`prometheus fix --apply` with startup and runtime settings starts, and each
is in effect; spark.conf.set of a startup setting, what `fix` used to
write, is refused."""
import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETTINGS = os.path.join(REPO, "src", "prometheus", "fix", "settings.cc")

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

# The first record is as stored before `applies` existed.
RECOMMENDATIONS = {"recommendations": [
    {"id": "d1", "fix": {"kind": "conf", "key": "spark.dynamicAllocation.enabled",
                         "value": "true"}},
    {"id": "e2", "fix": {"kind": "conf",
                         "key": "spark.scheduler.listenerbus.eventqueue.capacity",
                         "value": "30000", "applies": "startup"}},
    {"id": "f3", "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled",
                         "value": "false", "applies": "runtime"}},
]}

STATIC = '''import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").getOrCreate()
conf = spark._jvm.org.apache.spark.sql.internal.SQLConf
keys = []
it = conf.get().getAllDefinedConfs().iterator()
while it.hasNext():
    keys.append(str(it.next()._1()))
print(json.dumps(sorted(k for k in keys if conf.isStaticConfigKey(k))))
spark.stop()
'''

REFUSED = '''from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").getOrCreate()
try:
    spark.conf.set("spark.dynamicAllocation.enabled", "true")
    print("accepted")
except Exception as error:
    print("refused", type(error).__name__)
spark.stop()
'''


def python(code):
    """Runs `code` with this interpreter (the one with pyspark)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_every_static_sql_setting_of_this_spark_is_listed():
    with open(SETTINGS) as f:
        listed = set(re.findall(r'^\s+"(spark\.sql\.[^"]+)",', f.read(), re.M))
    static = json.loads(python(STATIC).strip().splitlines()[-1])
    assert static, "this Spark defines no static SQL setting?"
    assert sorted(set(static) - listed) == []


def test_the_fixed_job_starts_with_each_setting_in_effect(request, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    job = repo / "job.py"
    job.write_text(JOB)
    recommendations = tmp_path / "recommendations.json"
    recommendations.write_text(json.dumps(RECOMMENDATIONS))
    fixed = subprocess.run(
        [request.config.getoption("prometheus"), "fix", "--recommendations",
         str(recommendations), "--repo", str(repo), "--apply", "--color", "never"],
        capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, fixed.stderr
    assert "fix: 3 applied" in fixed.stderr, fixed.stderr
    assert 'spark.conf.set("spark.dynamicAllocation' not in job.read_text()
    assert python(job.read_text()).splitlines() == [
        "context true", "context 30000", "session false"]


def test_spark_refuses_a_startup_setting_in_spark_conf_set():
    assert python(REFUSED).strip() == "refused AnalysisException"
