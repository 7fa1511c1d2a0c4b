"""Re-encodes event logs into other codecs with Spark's own codec classes
(org.apache.spark.io.CompressionCodec), all in one JVM, run by a line's
python:

    python _recode.py < jobs.json

jobs.json is a list of {"source", "codec", "app_id", "targets": [{"codec",
"app_id", "path"}]}: `source` is a one-file log written in `codec` by an
application `app_id`; each target is the same log, its application id
replaced everywhere by the target's (a History Server keys applications by
id, so every copy needs its own), written in the target codec at `path`.
"""
import json
import os
import sys

from pyspark import SparkConf
from pyspark.java_gateway import launch_gateway


def main():
    jobs = json.load(sys.stdin)
    gateway = launch_gateway(SparkConf().set("spark.ui.enabled", "false"))
    jvm = gateway.jvm
    spark_conf = jvm.org.apache.spark.SparkConf(False)
    codecs = {}

    def codec(name):
        if name not in codecs:
            codecs[name] = jvm.org.apache.spark.io.CompressionCodec.createCodec(spark_conf, name)
        return codecs[name]

    def transfer(source, target):
        try:
            source.transferTo(target)
        finally:
            source.close()
            target.close()

    for job in jobs:
        plain = job["targets"][0]["path"] + ".decoded"
        source = jvm.java.io.BufferedInputStream(jvm.java.io.FileInputStream(job["source"]))
        if job["codec"] != "none":
            source = codec(job["codec"]).compressedInputStream(source)
        transfer(source, jvm.java.io.FileOutputStream(plain))
        with open(plain, encoding="utf-8") as f:
            text = f.read()
        os.remove(plain)
        if job["app_id"] not in text:
            raise ValueError(f"{job['source']}: no application id {job['app_id']!r} in it")
        for target in job["targets"]:
            renamed = text.replace(job["app_id"], target["app_id"])
            if target["codec"] == "none":
                with open(target["path"], "w", encoding="utf-8") as f:
                    f.write(renamed)
                continue
            with open(plain, "w", encoding="utf-8") as f:
                f.write(renamed)
            sink = jvm.java.io.BufferedOutputStream(jvm.java.io.FileOutputStream(target["path"]))
            transfer(jvm.java.io.FileInputStream(plain),
                     codec(target["codec"]).compressedOutputStream(sink))
            os.remove(plain)
    gateway.shutdown()


if __name__ == "__main__":
    main()
