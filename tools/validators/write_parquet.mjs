// Writes the same rows with independent Parquet writers, for our reader to
// read back:
//
//   node write_parquet.mjs OUT_DIR CODEC [ROWS]
//   CODEC: snappy | zstd | gzip | lz4_raw | uncompressed
//
// Prints one JSON object: the canonical rows (canonical.mjs) and the files
// written, {"columns": [...], "rows": [...], "files": [{"writer", "path"}],
// "errors": {writer: message}}. A writer that cannot use CODEC is left out
// and says why in "errors".
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBTimestampTZValue } from '@duckdb/node-api';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet } from 'parquet-wasm/node';
import {
  Bool, Field, Float64, Int32, Int64, makeData, makeVector, RecordBatch, Schema,
  Struct, Table, tableToIPC, TimestampMicrosecond, Utf8, vectorFromArray,
} from 'apache-arrow';
import { canonicalCell, printJson } from './canonical.mjs';
import { openDuckDb, sqlString } from './duckdb_rows.mjs';

const COLUMNS = [
  { name: 'i32', type: 'int32' },
  { name: 'i64', type: 'int64' },
  { name: 'd', type: 'double' },
  { name: 'b', type: 'boolean' },
  { name: 's', type: 'string' },
  { name: 'u', type: 'string' },
  { name: 'ts', type: 'timestamp' },
];
const WORDS = ['', 'alpha', 'héllo wörld', '日本語', '🚀 go'];

// Column-major values: numbers, bigints (int64, timestamp micros),
// booleans, strings, or null.
function makeColumns(rows) {
  const cols = COLUMNS.map(() => []);
  for (let i = 0; i < rows; ++i) {
    cols[0].push(i % 5 === 2 ? null : i === 0 ? -2147483648 : i === 1 ? 2147483647 : (i * 7919) % 200000 - 100000);
    cols[1].push(i % 6 === 1 ? null : i === 0 ? -(2n ** 63n) : i === 2 ? 2n ** 63n - 1n : BigInt(i) * 1000000007n - 500000000000000000n);
    cols[2].push(i % 7 === 0 ? null : i === 3 ? Infinity : i === 4 ? -Infinity : i === 5 ? NaN : i / 3 - 100);
    cols[3].push(i % 11 === 5 ? null : i % 3 === 0);
    cols[4].push(i % 4 === 3 ? null : WORDS[i % WORDS.length]);
    cols[5].push(`u-${i}-ü`);
    cols[6].push(i % 9 === 4 ? null : 1700000000000000n + BigInt(i) * 1234567n - (i === 8 ? 3000000000000000n : 0n));
  }
  return cols;
}

async function writeDuckDb(dir, codec, cols, rows) {
  const connection = await openDuckDb();
  await connection.run(`CREATE TABLE t (i32 INTEGER, i64 BIGINT, d DOUBLE, b BOOLEAN,
      s VARCHAR, u VARCHAR, ts TIMESTAMPTZ)`);
  const appender = await connection.createAppender('t');
  for (let r = 0; r < rows; ++r) {
    const append = [
      v => appender.appendInteger(v), v => appender.appendBigInt(v),
      v => appender.appendDouble(v), v => appender.appendBoolean(v),
      v => appender.appendVarchar(v), v => appender.appendVarchar(v),
      v => appender.appendTimestampTZ(new DuckDBTimestampTZValue(v)),
    ];
    cols.forEach((col, c) => (col[r] === null ? appender.appendNull() : append[c](col[r])));
    appender.endRow();
  }
  appender.closeSync();
  const files = [];
  for (const [writer, version] of [['duckdb', 'V1'], ['duckdb-v2', 'V2']]) {
    const path = join(dir, `${writer}.parquet`);
    await connection.run(`COPY t TO ${sqlString(path)} (FORMAT parquet,
        COMPRESSION ${codec}, PARQUET_VERSION ${version})`);
    files.push({ writer, path });
  }
  return files;
}

async function writeHyparquet(dir, codec, cols) {
  const codecs = { snappy: 'SNAPPY', uncompressed: 'UNCOMPRESSED', gzip: 'GZIP' };
  if (!codecs[codec]) throw new Error(`hyparquet-writer has no ${codec} compressor here`);
  const schema = [
    { name: 'root', num_children: COLUMNS.length },
    { name: 'i32', type: 'INT32', repetition_type: 'OPTIONAL' },
    { name: 'i64', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'd', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'b', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    { name: 's', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'u', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'ts', type: 'INT64', converted_type: 'TIMESTAMP_MICROS', repetition_type: 'OPTIONAL',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
  ];
  const buffer = parquetWriteBuffer({
    schema,
    codec: codecs[codec],
    compressors: { GZIP: input => new Uint8Array(gzipSync(input)) },
    columnData: COLUMNS.map((c, i) => ({ name: c.name, data: cols[i] })),
    rowGroupSize: 1000,  // several row groups
  });
  const path = join(dir, 'hyparquet.parquet');
  await writeFile(path, new Uint8Array(buffer));
  return [{ writer: 'hyparquet', path }];
}

function timestampVector(values) {
  const n = values.length;
  const data = new BigInt64Array(n);
  const validity = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) { ++nulls; return; }
    data[i] = v;
    validity[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: n,
    nullCount: nulls, nullBitmap: validity, data }));
}

async function writeParquetWasm(dir, codec, cols) {
  const codecs = { snappy: Compression.SNAPPY, zstd: Compression.ZSTD,
    gzip: Compression.GZIP, lz4_raw: Compression.LZ4_RAW,
    uncompressed: Compression.UNCOMPRESSED };
  const types = [new Int32, new Int64, new Float64, new Bool, new Utf8, new Utf8];
  const vectors = types.map((type, i) => vectorFromArray(cols[i], type));
  vectors.push(timestampVector(cols[6]));
  const schema = new Schema(COLUMNS.map((c, i) => new Field(c.name, vectors[i].type, true)));
  const batch = new RecordBatch(schema, makeData({
    type: new Struct(schema.fields), length: cols[0].length, nullCount: 0,
    children: vectors.map(v => v.data[0]),
  }));
  const ipc = tableToIPC(new Table([batch]), 'stream');
  const files = [];
  for (const [writer, version, dictionary] of [
    ['parquet-wasm', WriterVersion.V1, true], ['parquet-wasm-v2', WriterVersion.V2, false]]) {
    const properties = new WriterPropertiesBuilder()
      .setCompression(codecs[codec])
      .setWriterVersion(version)
      .setDictionaryEnabled(dictionary)
      .setMaxRowGroupSize(1200)
      .setDataPageSizeLimit(4096)  // several pages per chunk
      .build();
    const path = join(dir, `${writer}.parquet`);
    await writeFile(path, writeParquet(WasmTable.fromIPCStream(ipc), properties));
    files.push({ writer, path });
  }
  return files;
}

const [dir, codec = 'snappy', rowsText = '3000'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node write_parquet.mjs OUT_DIR CODEC [ROWS]\n');
  process.exit(2);
}
const rows = Number(rowsText);
const cols = makeColumns(rows);
const result = {
  columns: COLUMNS,
  rows: Array.from({ length: rows }, (_, r) => COLUMNS.map((c, i) => canonicalCell(c.type, cols[i][r]))),
  files: [],
  errors: {},
};
for (const [name, write] of [['duckdb', writeDuckDb], ['hyparquet', writeHyparquet],
  ['parquet-wasm', writeParquetWasm]]) {
  try {
    result.files.push(...await write(dir, codec, cols, rows));
  } catch (error) {
    result.errors[name] = String(error?.message ?? error);
  }
}
printJson(result);
