"""Spark's own History Server, started from the pyspark install on a folder
of event logs, bound to a free loopback port, and its REST API."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pyspark


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HistoryServer:
    def __init__(self, log_dir, expected_app_ids, timeout=180):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        spark_home = os.path.dirname(pyspark.__file__)
        self.work = tempfile.mkdtemp(prefix="history-server-")
        opts = [f"-Dspark.history.fs.logDirectory=file://{log_dir}",
                f"-Dspark.history.ui.port={self.port}",
                "-Dspark.history.fs.update.interval=1s",
                "-Dspark.history.fs.cleaner.enabled=false",
                "-Dspark.port.maxRetries=0",  # a taken port fails now, not elsewhere
                "-Dspark.ui.showConsoleProgress=false"]
        env = dict(os.environ, SPARK_HOME=spark_home, SPARK_LOCAL_IP="127.0.0.1",
                   SPARK_HISTORY_OPTS=" ".join(opts), SPARK_DAEMON_MEMORY="512m",
                   SPARK_CONF_DIR=self.work)
        self.log_path = os.path.join(self.work, "history-server.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [os.path.join(spark_home, "bin", "spark-class"),
             "org.apache.spark.deploy.history.HistoryServer"],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_for(set(expected_app_ids), timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_for(self, app_ids, timeout):
        deadline = time.monotonic() + timeout
        listed = set()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"History Server exited ({self.process.returncode}):\n"
                                   + self.log_tail())
            try:
                listed = {a["id"] for a in self.get("applications")
                          if all(t.get("completed") for t in a["attempts"])}
                if app_ids <= listed:
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"History Server listed {sorted(listed)}, not all of "
                           f"{sorted(app_ids)} after {timeout}s:\n" + self.log_tail())

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}/{path}", timeout=60) as response:
            return json.load(response)

    def log_tail(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.work, ignore_errors=True)

    @classmethod
    def start(cls, log_dir, expected_app_ids, attempts=3):
        """A server on a free port; another port if one was taken meanwhile."""
        for attempt in range(attempts):
            try:
                return cls(log_dir, expected_app_ids)
            except RuntimeError:  # exited early, as on a port taken since
                if attempt == attempts - 1:
                    raise
