// DuckDB's side of bench/parquet/parquet_write_benchmark: loads INPUT into
// an in-memory table (untimed), then times only
// `COPY t TO ... (FORMAT parquet, COMPRESSION codec)`, best of RUNS, with
// DuckDB's default thread count and with one thread.
//
//   node duckdb_copy_bench.mjs INPUT OUT_DIR RUNS
//   => {"threads": N, "snappy": {"default": {"seconds", "bytes", "path"},
//       "1": {...}}, "zstd": {...}}
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { printJson } from './canonical.mjs';
import { duckdbRows, openDuckDb, sqlString } from './duckdb_rows.mjs';

const [input, dir, runsText = '3'] = process.argv.slice(2);
if (!input || !dir) {
  process.stderr.write('usage: node duckdb_copy_bench.mjs INPUT OUT_DIR RUNS\n');
  process.exit(2);
}
const runs = Number(runsText);
const connection = await openDuckDb();
const threads = Number((await duckdbRows(connection,
  "SELECT current_setting('threads')")).rows[0][0]);
await connection.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sqlString(input)})`);
const result = { threads };
for (const codec of ['snappy', 'zstd']) {
  result[codec] = {};
  for (const setting of ['default', '1']) {
    await connection.run(`SET threads = ${setting === 'default' ? threads : 1}`);
    const path = join(dir, `duckdb-${codec}-${setting}.parquet`);
    let best = Infinity;
    for (let i = 0; i < runs; ++i) {
      const start = performance.now();
      await connection.run(`COPY t TO ${sqlString(path)} (FORMAT parquet, COMPRESSION ${codec})`);
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    result[codec][setting] = { seconds: best, bytes: (await stat(path)).size, path };
  }
}
printJson(result);
