"""The stand-in workspace's SQL warehouse (../shared/docs/APIS.md §5, §7):
the Statement Execution API over a real SQL engine, DuckDB.

What is real: every statement is parsed, planned and executed by DuckDB
against tables it keeps (in memory, per stand-in process), the staged
Parquet files are read by DuckDB's own Parquet reader, MERGE keys and
null-safe matches are DuckDB's, and wrong SQL fails as SQL fails.
What is translated, in exactly these ways, before DuckDB sees a statement
(Databricks SQL that DuckDB spells otherwise):
  * `:name` markers become DuckDB parameters, cast to the given `type`;
  * `read_files(<volume path>, format => 'parquet')` becomes
    read_parquet(<the file in the stand-in's folder>);
  * catalog names of tables (after FROM, JOIN, INTO, TABLE, EXISTS) are prefixed with `uc_` (DuckDB reserves `main` and
    `system`), backquoted names become double-quoted, `USING DELTA` is
    dropped, and unix_micros() is a macro over epoch_us().
`CREATE VOLUME IF NOT EXISTS c.s.v` makes the volume's folder (DuckDB has no
volumes). What is not modelled: CLOSED after the 1 h result lifetime, EXTERNAL_LINKS,
ARROW_STREAM/CSV, byte and row limits, concurrent writers' conflicts. A
statement runs to its end when it is submitted; its state is then revealed
over polls (PENDING, RUNNING for --statement-polls polls, then SUCCEEDED
or FAILED), as a busy warehouse would.

The system tables system.billing.usage and system.billing.list_prices are
seeded from the workspace's runs: two usage records per run (an ORIGINAL
and a later one), priced by a list price valid at that time (an older,
ended price proves the join is by time).
"""
import datetime
import decimal
import json
import os
import re
import threading
import uuid

SQL_TYPES = {"BIGINT": "BIGINT", "INT": "INTEGER", "DOUBLE": "DOUBLE", "STRING": "VARCHAR",
             "BOOLEAN": "BOOLEAN", "TIMESTAMP": "TIMESTAMP", "DATE": "DATE"}
TYPE_NAMES = {"BIGINT": ("LONG", "BIGINT"), "INTEGER": ("INT", "INT"), "DOUBLE": ("DOUBLE", "DOUBLE"),
              "VARCHAR": ("STRING", "STRING"), "BOOLEAN": ("BOOLEAN", "BOOLEAN"),
              "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP"), "DATE": ("DATE", "DATE")}
MAX_STATEMENT = 16 * 1024 * 1024


class BadRequest(ValueError):
    """A request the API refuses with HTTP 400 (not a statement that fails)."""


class StatementError(Exception):
    """A statement that ends FAILED: (error_code, message, sql_state)."""


def java_double(x):
    """A double as Spark renders it (Java's Double.toString)."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        return repr(float(x))
    sign, digits, exp = decimal.Decimal(repr(float(x))).normalize().as_tuple()
    mantissa = "".join(map(str, digits))
    power = len(digits) - 1 + exp
    head, tail = mantissa[0], mantissa[1:] or "0"
    return f"{'-' if sign else ''}{head}.{tail}E{power}"


def render(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return str(value)


def split_quoted(sql):
    """Yields (is_code, text) pieces: code outside '...' literals and comments."""
    out, i, start = [], 0, 0
    while i < len(sql):
        if sql[i] == "'":
            out.append((True, sql[start:i]))
            j = i + 1
            while j < len(sql) and not (sql[j] == "'" and sql[j - 1] != "\\"):
                j += 1
            out.append((False, sql[i:j + 1]))
            i = start = j + 1
        else:
            i += 1
    out.append((True, sql[start:]))
    return out


NAME3 = re.compile(r"\b((?:FROM|JOIN|INTO|TABLE|EXISTS)\s+)(`?)([A-Za-z_][A-Za-z0-9_]*)\2\.(`?)([A-Za-z_][A-Za-z0-9_]*)\4\."
                   r"(`?)([A-Za-z_][A-Za-z0-9_]*)\6", re.I)
MARKER = re.compile(r"(?<![:A-Za-z0-9_]):([A-Za-z_][A-Za-z0-9_]*)")
READ_FILES = re.compile(r"read_files\(\s*([^,]+?)\s*,\s*format\s*=>\s*'parquet'\s*\)", re.I)


class Warehouse:
    def __init__(self, root, warehouse_id, polls, chunk_rows, schemas, runs, fail_pattern, fail_count):
        import duckdb  # only the warehouse needs it (.venv-databricks)
        self.root = root
        self.warehouse_id = warehouse_id
        self.polls = polls
        self.chunk_rows = chunk_rows
        self.fail_pattern = re.compile(fail_pattern) if fail_pattern else None
        self.fail_left = fail_count
        self.lock = threading.Lock()
        self.statements = {}
        self.executed = []  # (statement, parameters) as received, for tests
        self.db = duckdb.connect()
        self.db.execute("SET TimeZone = 'UTC'")
        self.db.execute("CREATE MACRO unix_micros(t) AS epoch_us(t)")
        self.catalogs = set()
        for name in schemas:
            catalog, schema = name.split(".")
            self.ensure_catalog(catalog)
            self.db.execute(f'CREATE SCHEMA IF NOT EXISTS "uc_{catalog}"."{schema}"')
        self.seed_system_tables(runs)
        # What a client's per-run cost query should find, for the tests.
        with open(os.path.join(root, "billing_expected.json"), "w") as out:
            json.dump(self.expected_costs(), out)

    def ensure_catalog(self, catalog):
        if catalog not in self.catalogs:
            self.db.execute(f"ATTACH ':memory:' AS \"uc_{catalog}\"")
            self.catalogs.add(catalog)

    def seed_system_tables(self, runs):
        self.ensure_catalog("system")
        self.db.execute('CREATE SCHEMA "uc_system".billing')
        self.db.execute("""CREATE TABLE "uc_system".billing.usage (
            record_id VARCHAR, account_id VARCHAR, workspace_id VARCHAR, sku_name VARCHAR, cloud VARCHAR,
            usage_start_time TIMESTAMP, usage_end_time TIMESTAMP, usage_date DATE, usage_unit VARCHAR,
            usage_quantity DECIMAL(38,18),
            usage_metadata STRUCT(cluster_id VARCHAR, job_id VARCHAR, job_run_id VARCHAR),
            record_type VARCHAR, billing_origin_product VARCHAR)""")
        self.db.execute("""CREATE TABLE "uc_system".billing.list_prices (
            price_start_time TIMESTAMP, price_end_time TIMESTAMP, account_id VARCHAR, sku_name VARCHAR,
            cloud VARCHAR, currency_code VARCHAR, usage_unit VARCHAR,
            pricing STRUCT("default" DECIMAL(30,18), effective_list STRUCT("default" DECIMAL(30,18))))""")
        prices = [("2020-01-01", "2024-01-01", "0.20"), ("2024-01-01", None, "0.15")]
        for start, end, price in prices:
            self.db.execute("INSERT INTO \"uc_system\".billing.list_prices VALUES (?, ?, 'acct', "
                            "'PREMIUM_JOBS_COMPUTE', 'AWS', 'USD', 'DBU', {'default': ?, "
                            "'effective_list': {'default': ?}})", [start, end, price, price])
        for i, run in enumerate(runs):
            if not run.get("start_time"):
                continue
            start = datetime.datetime.fromtimestamp(run["start_time"] / 1000, datetime.timezone.utc)
            cluster = next((t.get("cluster_instance", {}).get("cluster_id") for t in run["tasks"]
                            if t.get("cluster_instance")), None)
            for k, dbus in enumerate((f"{1 + i % 5}.25", f"0.{i % 7 + 1}")):
                self.db.execute(
                    "INSERT INTO \"uc_system\".billing.usage VALUES (?, 'acct', '1234567890123456', "
                    "'PREMIUM_JOBS_COMPUTE', 'AWS', ?, ?, ?, 'DBU', ?, {'cluster_id': ?, 'job_id': ?, "
                    "'job_run_id': ?}, 'ORIGINAL', 'JOBS')",
                    [f"r-{run['run_id']}-{k}", start.replace(tzinfo=None),
                     (start + datetime.timedelta(minutes=10 + k)).replace(tzinfo=None), start.date(),
                     dbus, cluster, str(run["job_id"]), str(run["run_id"])])

    def expected_costs(self):
        """run_id -> (dbus, list cost), as the join should find them."""
        rows = self.db.execute("""SELECT u.usage_metadata.job_run_id, SUM(u.usage_quantity),
            SUM(u.usage_quantity * lp.pricing.effective_list."default")
            FROM "uc_system".billing.usage u JOIN "uc_system".billing.list_prices lp
              ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud
             AND u.usage_end_time >= lp.price_start_time
             AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
            GROUP BY 1""").fetchall()
        return {r[0]: (float(r[1]), float(r[2])) for r in rows}

    # ------------------------------------------------------------ translation
    def translate(self, sql, parameters, local_path):
        if re.search(r"(?<![A-Za-z0-9_])\?", "".join(t for code, t in split_quoted(sql) if code)):
            raise BadRequest("Positional parameter markers (?) are not supported; use named markers")
        values, types = {}, {}
        for p in parameters:
            if "name" not in p:
                raise BadRequest("parameters[]: name is required")
            values[p["name"]] = p.get("value")
            kind = (p.get("type") or "STRING").upper()
            if kind.split("(")[0] not in SQL_TYPES and not kind.startswith("DECIMAL"):
                raise BadRequest(f"parameters[{p['name']}]: type {kind} is not supported")
            types[p["name"]] = SQL_TYPES.get(kind, kind)

        def staged(match):
            arg = match.group(1).strip()
            if arg.startswith(":"):
                name = arg[1:]
                if name not in values:
                    raise StatementError("BAD_REQUEST", f"[UNBOUND_SQL_PARAMETER] Found the unbound "
                                         f"parameter: {name}.", "42P02")
                path = values[name]
            else:
                raise StatementError("BAD_REQUEST", "read_files: the stand-in reads a parameter path",
                                     "42000")
            local = local_path(path)
            if not os.path.isfile(local):
                raise StatementError("BAD_REQUEST", f"[PATH_NOT_FOUND] Path does not exist: {path}.",
                                     "42K03")
            return "read_parquet('" + local.replace("'", "''") + "')"
        sql = READ_FILES.sub(staged, sql)
        used = {}
        pieces = []
        for code, text in split_quoted(sql):
            if not code:
                pieces.append(text)
                continue
            text = re.sub(r"\bUSING\s+DELTA\b", "", text, flags=re.I)

            def name3(match):
                self.ensure_catalog(match.group(3))
                return f'{match.group(1)}"uc_{match.group(3)}"."{match.group(5)}"."{match.group(7)}"'
            text = NAME3.sub(name3, text)
            text = text.replace("`", '"')

            def marker(match):
                name = match.group(1)
                if name not in values:
                    raise StatementError("BAD_REQUEST", f"[UNBOUND_SQL_PARAMETER] Found the unbound "
                                         f"parameter: {name}.", "42P02")
                used[name] = values[name]
                return f"CAST(${name} AS {types[name]})"
            text = MARKER.sub(marker, text)
            pieces.append(text)
        return "".join(pieces), used

    # ------------------------------------------------------------ statements
    def submit(self, body, local_path):
        """Runs the statement; returns its id. ValueError: a bad request (HTTP 400)."""
        if body.get("warehouse_id") != self.warehouse_id:
            raise LookupError(f"Warehouse {body.get('warehouse_id')} does not exist.")
        sql = body.get("statement")
        if not isinstance(sql, str) or not sql.strip():
            raise ValueError("statement is required")
        if len(sql.encode()) > MAX_STATEMENT:
            raise ValueError("statement is larger than 16 MiB")
        wait = body.get("wait_timeout", "10s")
        if not re.fullmatch(r"\d+s", wait) or not (wait == "0s" or 5 <= int(wait[:-1]) <= 50):
            raise ValueError(f"wait_timeout must be 0s or between 5s and 50s, got {wait}")
        if body.get("disposition", "INLINE") != "INLINE" or body.get("format", "JSON_ARRAY") != "JSON_ARRAY":
            raise ValueError("the stand-in serves INLINE JSON_ARRAY results only")
        statement_id = str(uuid.uuid4())
        record = {"polls": self.polls}
        volume = re.fullmatch(r"\s*CREATE\s+VOLUME\s+IF\s+NOT\s+EXISTS\s+`?(\w+)`?\.`?(\w+)`?\.`?(\w+)`?\s*",
                              sql, re.I)
        with self.lock:
            self.executed.append((sql, body.get("parameters", [])))
            try:
                if volume:  # volumes are folders of the stand-in's tree; DuckDB has none
                    if volume.group(1) not in self.catalogs:
                        raise StatementError("BAD_REQUEST", f"[NO_SUCH_CATALOG_EXCEPTION] Catalog "
                                             f"'{volume.group(1)}' was not found.", "42704")
                    os.makedirs(local_path("/Volumes/" + "/".join(volume.groups())), exist_ok=True)
                    translated, used = "SELECT 1 WHERE false", {}
                else:
                    translated, used = self.translate(sql, body.get("parameters", []), local_path)
                if self.fail_pattern and self.fail_left > 0 and self.fail_pattern.search(sql):
                    self.fail_left -= 1
                    raise StatementError("TEMPORARILY_UNAVAILABLE", "[INJECTED] The warehouse lost "
                                         "the statement's executor.", "58000")
                cursor = self.db.cursor()
                cursor.execute(translated, used)
                columns = [(d[0], str(d[1])) for d in (cursor.description or [])]
                rows = [[render(v) for v in row] for row in cursor.fetchall()] if columns else []
                record.update(state="SUCCEEDED", columns=columns, rows=rows)
            except BadRequest:
                raise
            except StatementError as error:
                code, message, sql_state = error.args
                record.update(state="FAILED", error={"error_code": code, "message": message},
                              sql_state=sql_state)
            except Exception as error:  # DuckDB's own errors: the SQL failed
                message, sql_state = f"[{type(error).__name__}] {error}", "42000"
                missing = re.search(r"Table with name (\w+) does not exist", str(error))
                if missing:
                    message = (f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{missing.group(1)}` cannot "
                               f"be found. ({error})")
                    sql_state = "42P01"
                record.update(state="FAILED", error={"error_code": "BAD_REQUEST", "message": message},
                              sql_state=sql_state)
            self.statements[statement_id] = record
        if wait != "0s" and self.polls == 0:
            return statement_id, self.response(statement_id)
        return statement_id, {"statement_id": statement_id, "status": {"state": "PENDING"}}

    def poll(self, statement_id):
        with self.lock:
            record = self.statements.get(statement_id)
            if record is None:
                return None
            if record["polls"] > 0:
                record["polls"] -= 1
                return {"statement_id": statement_id, "status": {"state": "RUNNING"}}
        return self.response(statement_id)

    def cancel(self, statement_id):
        with self.lock:
            record = self.statements.get(statement_id)
            if record is None:
                return False
            if record["polls"] > 0:
                record.update(state="CANCELED", polls=0)
            return True

    def response(self, statement_id):
        record = self.statements[statement_id]
        status = {"state": record["state"]}
        if record["state"] == "FAILED":
            status.update(error=record["error"], sql_state=record["sql_state"])
        if record["state"] != "SUCCEEDED":
            return {"statement_id": statement_id, "status": status}
        rows, size = record["rows"], self.chunk_rows
        chunks = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
        columns = []
        for position, (name, kind) in enumerate(record["columns"]):
            type_name, type_text = TYPE_NAMES.get(kind.split("(")[0], ("DECIMAL", kind))
            columns.append({"name": name, "position": position, "type_name": type_name,
                            "type_text": type_text})
        manifest = {"format": "JSON_ARRAY", "schema": {"column_count": len(columns), "columns": columns},
                    "total_chunk_count": len(chunks),
                    "chunks": [{"chunk_index": i, "row_offset": i * size, "row_count": len(c)}
                               for i, c in enumerate(chunks)],
                    "total_row_count": len(rows), "truncated": False}
        return {"statement_id": statement_id, "status": status, "manifest": manifest,
                "result": self.chunk(statement_id, 0)}

    def chunk(self, statement_id, index):
        record = self.statements.get(statement_id)
        if record is None or record["state"] != "SUCCEEDED":
            return None
        rows, size = record["rows"], self.chunk_rows
        count = max(1, -(-len(rows) // size))
        if not 0 <= index < count:
            return None
        part = rows[index * size:(index + 1) * size]
        data = {"chunk_index": index, "row_offset": index * size, "row_count": len(part)}
        if part:
            data["data_array"] = part
        if index + 1 < count:
            data["next_chunk_index"] = index + 1
            data["next_chunk_internal_link"] = f"/api/2.0/sql/statements/{statement_id}/result/chunks/{index + 1}"
        return data
