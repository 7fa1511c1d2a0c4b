"""The stand-in workspace answers the way the official databricks-sdk
expects the real service to: every call observe makes, made by the SDK."""
import io
import json
import os
import subprocess
import sys
import time

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk import errors

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "dapi-sdk-test-7e1d"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("workspace"))


def start(root, *extra):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "databricks_workspace.py"), "--root", root,
                             "--token", TOKEN, *extra], stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


@pytest.fixture(scope="module")
def standin(root):
    proc, url = start(root, "--seed", "--runs", "6", "--client-id", "sp-id", "--client-secret", "sp-secret",
                      "--token-ttl", "45")
    yield url
    proc.kill()
    proc.wait()


@pytest.fixture(scope="module")
def manifest(root, standin):
    return json.load(open(os.path.join(root, "manifest.json")))


@pytest.fixture(autouse=True)
def no_config_file(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("DATABRICKS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "none.cfg"))


def client(url, token=TOKEN):
    from databricks.sdk.core import Config
    return WorkspaceClient(config=Config(host=url, token=token, auth_type="pat", retry_timeout_seconds=60))


def test_runs_list_pages_the_window_with_exact_int64_ids(standin, manifest):
    w = client(standin)
    since = int(time.time() * 1000) - 86_400_000
    runs = list(w.jobs.list_runs(start_time_from=since, limit=2))
    ids = [r.run_id for r in runs]
    expected_ids = {e["run_id"] for e in manifest["expected"]}
    assert expected_ids <= set(ids)
    assert manifest["outside_window_run"] not in ids
    assert len(ids) == len(set(ids))  # pages neither repeat nor skip
    assert all(r.run_id > 2 ** 53 for r in runs)
    starts = [r.start_time for r in runs]
    assert starts == sorted(starts, reverse=True)
    everything = list(w.jobs.list_runs())
    assert manifest["outside_window_run"] in [r.run_id for r in everything]
    one_job = manifest["expected"][0]["job_id"]
    assert {r.job_id for r in w.jobs.list_runs(job_id=one_job)} == {one_job}


def test_runs_get_and_clusters_get_name_where_the_logs_are(standin, manifest):
    w = client(standin)
    want = manifest["expected"][2]  # on an existing cluster: clusters/get says where
    run = w.jobs.get_run(want["run_id"])
    assert run.run_id == want["run_id"] and run.job_id == want["job_id"]
    task = run.tasks[0]
    assert task.run_id == want["task_run_id"]
    assert task.cluster_instance.cluster_id == want["cluster_id"]
    context = task.cluster_instance.spark_context_id
    assert isinstance(context, str)
    cluster = w.clusters.get(want["cluster_id"])
    assert cluster.spark_context_id == int(context)
    destination = cluster.cluster_log_conf.dbfs.destination
    assert destination == "dbfs:/cluster-logs"
    assert run.git_source.git_snapshot.used_commit
    # 2.2 pages a run's tasks by 100; the SDK follows next_page_token.
    paged = w.jobs.get_run(manifest["expected"][1]["run_id"])
    assert len(paged.tasks) == 121
    assert paged.tasks[-1].run_id == manifest["expected"][1]["task_run_id"]
    with pytest.raises(errors.NotFound):  # 400 "Run N does not exist." → ResourceDoesNotExist
        w.jobs.get_run(12345)


def test_dbfs_list_and_read_in_base64_chunks(standin, manifest):
    w = client(standin)
    want = manifest["expected"][0]  # on DBFS, rolled
    cluster = w.clusters.get(want["cluster_id"])
    root = f"/cluster-logs/{want['cluster_id']}/eventlog"
    hosts = list(w.dbfs.list(root))
    assert [h.is_dir for h in hosts] == [True]
    context = str(cluster.spark_context_id)
    files = {f.path.rsplit("/", 1)[1]: f for f in w.dbfs.list(f"{hosts[0].path}/{context}")}
    assert set(files) == {"eventlog", "eventlog-2024-06-10--12-00.gz"}
    local = open(os.path.join(want["folder"], "eventlog"), "rb").read()
    with w.dbfs.download(files["eventlog"].path) as f:
        assert f.read() == local
    chunk = w.dbfs.read(files["eventlog"].path, offset=10, length=100)
    assert chunk.bytes_read == 100
    import base64
    assert base64.b64decode(chunk.data) == local[10:110]
    assert w.dbfs.read(files["eventlog"].path, offset=len(local), length=10).bytes_read == 0
    with pytest.raises(errors.NotFound):
        w.dbfs.get_status("/cluster-logs/nothing-here")
    with pytest.raises(errors.DatabricksError) as too_big:
        w.dbfs.read(files["eventlog"].path, offset=0, length=(1 << 20) + 1)
    assert too_big.value.error_code == "MAX_READ_SIZE_EXCEEDED"


def test_files_api_lists_in_pages_downloads_and_uploads_once(standin, manifest):
    w = client(standin)
    want = manifest["expected"][1]  # in a volume
    assert want["folder"].find("/Volumes/") > 0
    api_folder = want["folder"][want["folder"].index("/Volumes/"):]
    root = api_folder.rsplit("/", 2)[0]
    entries = list(w.files.list_directory_contents(root))
    # The task's driver folder, and one a restarted driver left.
    assert sorted(e.name for e in entries) == sorted([api_folder.rsplit("/", 2)[1], f"{want['cluster_id']}_10_9_9_9"])
    names = [e.name for e in w.files.list_directory_contents(api_folder)]
    local = open(os.path.join(want["folder"], "eventlog"), "rb").read()
    assert names == ["eventlog"]
    downloaded = w.files.download(f"{api_folder}/eventlog").contents.read()
    assert downloaded == local
    meta = w.files.get_metadata(f"{api_folder}/eventlog")
    assert meta.content_length == len(local)
    staged = f"{root}/../prometheus_staging/batch-1.parquet"
    staged = "/Volumes/main/ops/prometheus_staging/batch-1.parquet"
    w.files.upload(staged, io.BytesIO(b"PAR1 data PAR1"), overwrite=False)
    assert w.files.download(staged).contents.read() == b"PAR1 data PAR1"
    with pytest.raises(errors.AlreadyExists):
        w.files.upload(staged, io.BytesIO(b"again"), overwrite=False)


def test_wrong_token_is_permission_denied(standin):
    with pytest.raises(errors.PermissionDenied, match="Invalid access token"):
        client(standin, "dapi-wrong").clusters.get("x")


def test_oauth_machine_to_machine(standin, manifest):
    w = WorkspaceClient(host=standin, client_id="sp-id", client_secret="sp-secret", auth_type="oauth-m2m")
    assert w.clusters.get(manifest["expected"][0]["cluster_id"]).cluster_id == manifest["expected"][0]["cluster_id"]
    bad = WorkspaceClient(host=standin, client_id="sp-id", client_secret="wrong", auth_type="oauth-m2m")
    with pytest.raises(Exception, match="invalid_client|Client authentication failed|401"):
        bad.clusters.get("x")


def test_the_sdk_rides_out_injected_throttling(root, standin, manifest):
    proc, url = start(root, "--fault-rate", "0.4", "--fault-kinds", "429,429-bare,503", "--retry-after", "0")
    try:
        w = client(url)
        since = int(time.time() * 1000) - 86_400_000
        ids = {r.run_id for r in w.jobs.list_runs(start_time_from=since, limit=3)}
        assert {e["run_id"] for e in manifest["expected"]} <= ids
        for want in manifest["expected"][:3]:
            assert w.jobs.get_run(want["run_id"]).tasks[-1].run_id == want["task_run_id"]
    finally:
        proc.kill()
        proc.wait()
