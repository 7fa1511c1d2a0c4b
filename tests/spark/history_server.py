"""Spark's own History Server, started from a pyspark install (a line's
SPARK_HOME) on a folder of event logs, bound to a free loopback port, and
its REST API."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HistoryServer:
    """Started by __init__; ready (every expected application listed) after
    wait()."""

    def __init__(self, spark_home, log_dir, expected_app_ids, timeout=300):
        self.spark_home, self.log_dir = spark_home, log_dir
        self.expected, self.timeout = set(expected_app_ids), timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.work = tempfile.mkdtemp(prefix="history-server-")
        opts = [f"-Dspark.history.fs.logDirectory=file://{log_dir}",
                f"-Dspark.history.ui.port={self.port}",
                "-Dspark.history.fs.update.interval=1s",
                "-Dspark.history.fs.cleaner.enabled=false",
                "-Dspark.port.maxRetries=0",  # a taken port fails now, not elsewhere
                "-Dspark.ui.showConsoleProgress=false"]
        env = dict(os.environ, SPARK_HOME=spark_home, SPARK_LOCAL_IP="127.0.0.1",
                   SPARK_HISTORY_OPTS=" ".join(opts), SPARK_DAEMON_MEMORY="1g",
                   SPARK_CONF_DIR=self.work)
        self.log_path = os.path.join(self.work, "history-server.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [os.path.join(spark_home, "bin", "spark-class"),
             "org.apache.spark.deploy.history.HistoryServer"],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started = time.monotonic()

    def wait(self):
        """Until every expected application is listed as completed; stops
        the server and raises if it exits or the timeout passes."""
        try:
            self._wait_for(self.expected, self.timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_for(self, app_ids, timeout):
        deadline = self.started + timeout
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

    def restarted(self):
        """A new server on another free port, for one that exited early (as
        on a port taken since free_port chose it)."""
        return HistoryServer(self.spark_home, self.log_dir, self.expected, self.timeout)

    @staticmethod
    def start_all(servers, attempts=3):
        """Waits for servers started side by side (one JVM start-up's time,
        not one each), restarting one that exited early; on failure none is
        left running."""
        ready = []
        try:
            for server in servers:
                for attempt in range(attempts):
                    try:
                        server.wait()
                        break
                    except RuntimeError:
                        if attempt == attempts - 1:
                            raise
                        server = server.restarted()
                ready.append(server)
        except BaseException:
            for server in ready + servers[len(ready):]:
                server.stop()
            raise
        return ready
