"""The straightforward way to collect a workspace's event logs with the
official databricks-sdk: list the window's runs, get each run, find each
task's delivery folder and download its files one by one. The baseline of
databricks_bench.py; run with .venv-databricks/bin/python.

    databricks_sdk_baseline.py HOST TOKEN OUT_DIR SINCE_MS
"""
import os
import sys

from databricks.sdk import WorkspaceClient
from databricks.sdk.core import Config


def main():
    host, token, out, since = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    w = WorkspaceClient(config=Config(host=host, token=token, auth_type="pat"))
    files = size = 0
    for listed in w.jobs.list_runs(start_time_from=since):
        run = w.jobs.get_run(listed.run_id)
        job_logs = {c.job_cluster_key: c.new_cluster.cluster_log_conf for c in run.job_clusters or []
                    if c.new_cluster and c.new_cluster.cluster_log_conf}
        for task in run.tasks or []:
            if not task.cluster_instance or not task.cluster_instance.spark_context_id:
                continue
            cid, ctx = task.cluster_instance.cluster_id, task.cluster_instance.spark_context_id
            conf = (task.new_cluster.cluster_log_conf if task.new_cluster else None) or \
                job_logs.get(task.job_cluster_key) or w.clusters.get(cid).cluster_log_conf
            if conf is None or conf.s3 is not None:
                continue
            volume = conf.volumes is not None
            dest = (conf.volumes.destination if volume else conf.dbfs.destination).removeprefix("dbfs:")
            root = f"{dest.rstrip('/')}/{cid}/eventlog"
            try:
                if volume:
                    hosts = [e.path.rstrip("/") for e in w.files.list_directory_contents(root) if e.is_directory]
                else:
                    hosts = [e.path for e in w.dbfs.list(root) if e.is_dir]
            except Exception:
                continue  # not delivered yet
            for host in hosts:
                folder = f"{host}/{ctx}"
                try:
                    entries = list(w.files.list_directory_contents(folder)) if volume else list(w.dbfs.list(folder))
                except Exception:
                    continue
                for entry in entries:
                    path = entry.path
                    name = path.rsplit("/", 1)[1]
                    if not name.startswith("eventlog"):
                        continue
                    local = os.path.join(out, str(task.run_id), name)
                    os.makedirs(os.path.dirname(local), exist_ok=True)
                    with open(local, "wb") as target:
                        if volume:
                            target.write(w.files.download(path).contents.read())
                        else:
                            with w.dbfs.download(path) as source:
                                target.write(source.read())
                    files += 1
                    size += os.path.getsize(local)
    print(f"{files} {size}")


if __name__ == "__main__":
    main()
