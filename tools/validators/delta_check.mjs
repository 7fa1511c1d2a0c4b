// An independent check of a Delta table: replays its JSON log here, in
// JavaScript, and reads every live file with DuckDB.
//
// Usage: node delta_check.mjs TABLE_DIR
// Prints {"version","live_files","rows","problems":[...]} and exits 1 when a
// problem was found. Checks: contiguous versions from 0; one protocol and one
// metaData in effect, readable at (1,2); every add's size equals its file's;
// stats.numRecords, nullCount, minValues and maxValues equal what DuckDB
// computes; the Parquet columns and types match schemaString.
import fs from 'node:fs';
import path from 'node:path';
import { openDuckDb, sqlString } from './duckdb_rows.mjs';

const table = process.argv[2];
const problems = [];
const logDir = path.join(table, '_delta_log');
const commits = fs.readdirSync(logDir).filter(n => /^\d{20}\.json$/.test(n)).sort();
commits.forEach((name, i) => {
  if (Number(name.slice(0, 20)) !== i) problems.push(`missing commit ${i}`);
});

let protocol = null, metaData = null;
const live = new Map();
for (const name of commits) {
  const lines = fs.readFileSync(path.join(logDir, name), 'utf8').split('\n').filter(Boolean);
  let protocols = 0, metas = 0;
  const paths = new Set();
  for (const line of lines) {
    const action = JSON.parse(line);
    if (action.protocol) { protocol = action.protocol; protocols++; }
    if (action.metaData) { metaData = action.metaData; metas++; }
    for (const kind of ['add', 'remove']) {
      if (!action[kind]) continue;
      const p = decodeURIComponent(action[kind].path);
      if (paths.has(p)) problems.push(`${name}: ${p} twice in one commit`);
      paths.add(p);
      if (kind === 'add') live.set(p, action.add); else live.delete(p);
    }
  }
  if (protocols > 1 || metas > 1) problems.push(`${name}: two protocol or metaData actions`);
}
if (!protocol || protocol.minReaderVersion !== 1 || protocol.minWriterVersion !== 2) {
  problems.push(`protocol ${JSON.stringify(protocol)}, expected (1, 2)`);
}
if (!metaData) problems.push('no metaData');

const kDuckType = { long: 'BIGINT', integer: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN',
                    string: 'VARCHAR', timestamp: 'TIMESTAMP WITH TIME ZONE' };
const schema = metaData ? JSON.parse(metaData.schemaString).fields : [];
const db = await openDuckDb();
let rows = 0;
for (const [file, add] of live) {
  const full = path.join(table, file);
  if (!fs.existsSync(full)) { problems.push(`${file}: missing`); continue; }
  if (fs.statSync(full).size !== add.size) problems.push(`${file}: size differs from add.size`);
  const source = `read_parquet(${sqlString(full)}, hive_partitioning = false)`;
  const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjects();
  const types = new Map(described.map(r => [r.column_name, r.column_type]));
  for (const field of schema) {
    const want = kDuckType[field.type];
    if (types.has(field.name) && types.get(field.name) !== want) {
      problems.push(`${file}: column ${field.name} is ${types.get(field.name)}, schemaString says ${field.type}`);
    }
  }
  const count = Number((await db.runAndReadAll(`SELECT count(*) AS n FROM ${source}`)).getRows()[0][0]);
  rows += count;
  const stats = add.stats ? JSON.parse(add.stats) : null;
  if (!stats) { problems.push(`${file}: no stats`); continue; }
  if (stats.numRecords !== count) problems.push(`${file}: numRecords ${stats.numRecords}, DuckDB counts ${count}`);
  for (const field of schema) {
    if (!types.has(field.name)) continue;
    const q = `"${field.name.replaceAll('"', '""')}"`;
    const isTime = field.type === 'timestamp';
    const expr = isTime ? `strftime(${q} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z'` : q;
    const [nulls, low, high] = (await db.runAndReadAll(
      `SELECT count(*) - count(${q}), min(${expr}), max(${expr}) FROM ${source}`)).getRows()[0];
    if (stats.nullCount?.[field.name] !== Number(nulls)) {
      problems.push(`${file}: nullCount.${field.name} ${stats.nullCount?.[field.name]}, DuckDB ${nulls}`);
    }
    for (const [bound, got] of [['minValues', low], ['maxValues', high]]) {
      if (!(field.name in (stats[bound] ?? {}))) continue;
      const want = stats[bound][field.name];
      const same = typeof want === 'number' ? Number(got) === want : String(got) === String(want);
      if (!same) problems.push(`${file}: ${bound}.${field.name} ${want}, DuckDB ${got}`);
    }
  }
}
console.log(JSON.stringify({ version: commits.length - 1, live_files: live.size, rows, problems }));
process.exit(problems.length ? 1 : 0);
