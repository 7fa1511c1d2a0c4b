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


# ---------------------------------------------------------------- SQL warehouse
WAREHOUSE = "standin0123456789"


def finish(w, response):
    """Polls get_statement as a client must until the statement ends; the
    states seen on the way."""
    seen = [response.status.state.value]
    while response.status.state.value in ("PENDING", "RUNNING"):
        time.sleep(0.01)
        response = w.statement_execution.get_statement(response.statement_id)
        seen.append(response.status.state.value)
    return response, seen


def sql(w, statement, *parameters, wait="0s"):
    from databricks.sdk.service.sql import StatementParameterListItem
    items = [StatementParameterListItem(name=n, value=v, type=t) for n, v, t in parameters]
    return finish(w, w.statement_execution.execute_statement(
        statement=statement, warehouse_id=WAREHOUSE, parameters=items, wait_timeout=wait))


def test_statements_go_pending_running_succeeded_with_named_parameters(standin):
    w = client(standin)
    done, seen = sql(w, "CREATE TABLE IF NOT EXISTS `main`.`prom`.`sdk_kpis` (run_id BIGINT, metric STRING, "
                        "value DOUBLE) USING DELTA")
    assert seen == ["PENDING", "RUNNING", "RUNNING", "SUCCEEDED"]
    big = str(2 ** 53 + 1)
    done, _ = sql(w, "INSERT INTO main.prom.sdk_kpis VALUES (:run_id, :metric, :value)",
                  ("run_id", big, "BIGINT"), ("metric", None, None), ("value", "1.5E9", "DOUBLE"))
    assert done.status.state.value == "SUCCEEDED"
    done, _ = sql(w, "SELECT run_id, metric, value FROM main.prom.sdk_kpis WHERE run_id = :run_id",
                  ("run_id", big, "BIGINT"))
    assert [c.name for c in done.manifest.schema.columns] == ["run_id", "metric", "value"]
    assert done.manifest.schema.columns[0].type_name.value == "LONG"
    assert done.result.data_array == [[big, None, "1.5E9"]]


def test_a_failing_statement_is_http_200_with_state_failed(standin):
    w = client(standin)
    done, seen = sql(w, "SELECT * FROM main.prom.no_such_table")
    assert seen[-1] == "FAILED"
    assert done.status.error.message.startswith("[TABLE_OR_VIEW_NOT_FOUND]")
    assert done.status.sql_state == "42P01"


def test_positional_markers_and_bad_waits_are_bad_requests(standin):
    w = client(standin)
    with pytest.raises(errors.BadRequest, match="Positional"):
        w.statement_execution.execute_statement(statement="SELECT ?", warehouse_id=WAREHOUSE)
    with pytest.raises(errors.BadRequest, match="wait_timeout"):
        w.statement_execution.execute_statement(statement="SELECT 1", warehouse_id=WAREHOUSE,
                                                wait_timeout="3s")


def test_results_page_in_chunks(standin):
    w = client(standin)
    done, _ = sql(w, "SELECT range AS n FROM range(100)")
    manifest = done.manifest
    assert manifest.total_row_count == 100 and manifest.total_chunk_count > 1
    rows, data = [], done.result
    while True:
        rows += data.data_array or []
        if data.next_chunk_index is None:
            break
        data = w.statement_execution.get_statement_result_chunk_n(done.statement_id, data.next_chunk_index)
    assert [int(r[0]) for r in rows] == list(range(100))


def test_merge_from_a_staged_parquet_file_adds_nothing_twice(standin, tmp_path):
    import duckdb
    w = client(standin)
    local = str(tmp_path / "batch.parquet")
    duckdb.sql(f"COPY (SELECT i::BIGINT AS k, 'v' || i AS v FROM range(5) t(i)) TO '{local}' (FORMAT parquet)")
    staged = "/Volumes/main/prom/prometheus_staging/sdk/batch.parquet"
    with pytest.raises(errors.NotFound):  # the volume is not there yet
        w.files.upload(staged, io.BytesIO(b"x"), overwrite=False)
    done, _ = sql(w, "CREATE VOLUME IF NOT EXISTS main.prom.prometheus_staging")
    assert done.status.state.value == "SUCCEEDED"
    with open(local, "rb") as f:
        w.files.upload(staged, f, overwrite=False)
    sql(w, "CREATE TABLE IF NOT EXISTS `main`.`prom`.`sdk_merge` (k BIGINT, v STRING) USING DELTA")
    merge = ("MERGE INTO `main`.`prom`.`sdk_merge` AS t USING (SELECT * FROM read_files(:staged, "
             "format => 'parquet')) AS s ON t.`k` IS NOT DISTINCT FROM s.`k` "
             "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
    for _ in range(2):
        done, _ = sql(w, merge, ("staged", staged, None))
        assert done.status.state.value == "SUCCEEDED"
    done, _ = sql(w, "SELECT count(*) FROM main.prom.sdk_merge")
    assert done.result.data_array == [["5"]]
    w.files.delete(staged)
    with pytest.raises(errors.NotFound):
        w.files.delete(staged)
    done, _ = sql(w, merge, ("staged", staged, None))
    assert done.status.state.value == "FAILED" and "PATH_NOT_FOUND" in done.status.error.message


def test_the_system_billing_tables_answer_the_cost_query(standin, manifest):
    w = client(standin)
    want = manifest["expected"][0]
    done, _ = sql(w, """SELECT u.usage_metadata.job_id, u.usage_metadata.job_run_id,
           SUM(u.usage_quantity) AS dbus,
           SUM(u.usage_quantity * lp.pricing.effective_list.default) AS list_cost,
           MAX(lp.currency_code) AS currency
    FROM system.billing.usage u
    JOIN system.billing.list_prices lp
      ON u.cloud = lp.cloud AND u.sku_name = lp.sku_name
     AND u.usage_end_time >= lp.price_start_time
     AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
    WHERE u.usage_metadata.job_id = :job_id AND u.usage_metadata.job_run_id = :run_id
      AND u.usage_date >= :from_date
    GROUP BY ALL""", ("job_id", str(want["job_id"]), None), ("run_id", str(want["run_id"]), None),
                  ("from_date", "2020-01-01", "DATE"))
    assert done.status.state.value == "SUCCEEDED", done.status
    (job_id, run_id, dbus, cost, currency), = done.result.data_array
    assert (job_id, run_id, currency) == (str(want["job_id"]), str(want["run_id"]), "USD")
    assert float(dbus) > 0 and abs(float(cost) - float(dbus) * 0.15) < 1e-9


def test_a_statement_can_be_cancelled_while_it_runs(standin):
    w = client(standin)
    started = w.statement_execution.execute_statement(statement="SELECT 1", warehouse_id=WAREHOUSE,
                                                      wait_timeout="0s")
    w.statement_execution.cancel_execution(started.statement_id)
    assert w.statement_execution.get_statement(started.statement_id).status.state.value == "CANCELED"
