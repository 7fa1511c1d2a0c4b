// Runs SQL statements in one in-memory DuckDB and prints each result's
// canonical rows (canonical.mjs):
//
//   node duckdb_query.mjs SQL...
//   => {"results": [{"columns": [...], "rows": [...]} or {"error": "..."}, ...]}
import { printJson } from './canonical.mjs';
import { duckdbRows, openDuckDb } from './duckdb_rows.mjs';

const statements = process.argv.slice(2);
if (!statements.length) {
  process.stderr.write('usage: node duckdb_query.mjs SQL...\n');
  process.exit(2);
}
const connection = await openDuckDb();
const results = [];
for (const sql of statements) {
  try {
    results.push(await duckdbRows(connection, sql));
  } catch (error) {
    results.push({ error: String(error?.message ?? error) });
  }
}
printJson({ results });
