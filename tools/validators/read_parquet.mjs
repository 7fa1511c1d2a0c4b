// Reads Parquet files with independent readers and prints each reader's
// canonical rows (canonical.mjs) as one JSON object:
//
//   node read_parquet.mjs [--reader duckdb|hyparquet|parquet-wasm]... FILE...
//   => {"FILE": {"duckdb": {"columns": [...], "rows": [...]}, ...}, ...}
//
// With no --reader, all three run. A reader that fails reports
// {"error": "..."} instead of rows; the exit code is 0 either way, so the
// caller decides.
import { readFile } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { readParquet } from 'parquet-wasm/node';
import { DateUnit, tableFromIPC, TimeUnit, Type } from 'apache-arrow';
import { canonicalCell, floorDiv, printJson, typeOfParquetElement } from './canonical.mjs';
import { duckdbRows, openDuckDb, sqlString } from './duckdb_rows.mjs';

async function readWithDuckDb(path) {
  const connection = await openDuckDb();
  return duckdbRows(connection,
    `SELECT * FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`);
}

// Marks timestamps so they are told apart from plain integers.
class Micros {
  constructor(value) { this.value = value; }
}

async function readWithHyparquet(path) {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const leaves = metadata.schema.slice(1);
  if (leaves.some(e => e.num_children)) throw new Error('nested schema');
  const types = leaves.map(typeOfParquetElement);
  let rows = [];
  await parquetRead({
    file, metadata, compressors, rowFormat: 'array',
    parsers: {
      timestampFromMilliseconds: v => new Micros(BigInt(v) * 1000n),
      timestampFromMicroseconds: v => new Micros(BigInt(v)),
      timestampFromNanoseconds: v => new Micros(floorDiv(BigInt(v), 1000n)),
      dateFromDays: v => v,
    },
    onComplete: result => { rows = result; },
  });
  return {
    columns: leaves.map((e, i) => ({ name: e.name, type: types[i] })),
    rows: rows.map(row => row.map((v, i) =>
      canonicalCell(types[i], v instanceof Micros ? v.value : v))),
  };
}

function arrowType(type) {
  switch (type.typeId) {
    case Type.Bool: return 'boolean';
    case Type.Int: return type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned) ? 'int64' : 'int32';
    case Type.Float: return 'double';
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Timestamp: return 'timestamp';
    case Type.Date: return 'int32';
    default: return `unsupported:${type}`;
  }
}

// The raw int64 of a timestamp cell, whatever array type arrow-js chose.
function rawInt64(data, index) {
  const values = data.values;
  const at = data.offset + index;
  if (values instanceof BigInt64Array) return values[at];
  const lo = BigInt(values[2 * at] >>> 0);
  const hi = BigInt(values[2 * at + 1]);
  return (hi << 32n) | lo;
}

function timestampMicros(raw, unit) {
  switch (unit) {
    case TimeUnit.SECOND: return raw * 1000000n;
    case TimeUnit.MILLISECOND: return raw * 1000n;
    case TimeUnit.NANOSECOND: return floorDiv(raw, 1000n);
    default: return raw;
  }
}

async function readWithParquetWasm(path) {
  const bytes = new Uint8Array(await readFile(path));
  const table = tableFromIPC(readParquet(bytes).intoIPCStream());
  const fields = table.schema.fields;
  const types = fields.map(f => arrowType(f.type));
  const columns = fields.map((f, c) => {
    const vector = table.getChildAt(c);
    const cells = [];
    for (const data of vector.data) {
      for (let i = 0; i < data.length; ++i) {
        if (!data.getValid(i)) {
          cells.push(null);
        } else if (types[c] === 'timestamp') {
          cells.push(timestampMicros(rawInt64(data, i), f.type.unit).toString());
        } else if (f.type.typeId === Type.Date) {
          const days = f.type.unit === DateUnit.DAY
            ? BigInt(data.values[data.offset + i])
            : floorDiv(rawInt64(data, i), 86400000n);
          cells.push(days.toString());
        } else {
          cells.push(canonicalCell(types[c], vector.get(cells.length)));
        }
      }
    }
    return cells;
  });
  const rows = [];
  for (let r = 0; r < table.numRows; ++r) rows.push(columns.map(cells => cells[r]));
  return { columns: fields.map((f, i) => ({ name: f.name, type: types[i] })), rows };
}

const readers = {
  duckdb: readWithDuckDb,
  hyparquet: readWithHyparquet,
  'parquet-wasm': readWithParquetWasm,
};

const args = process.argv.slice(2);
const names = [];
const paths = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--reader') {
    names.push(args[++i]);
  } else {
    paths.push(args[i]);
  }
}
if (!paths.length || names.some(n => !readers[n])) {
  process.stderr.write('usage: node read_parquet.mjs [--reader duckdb|hyparquet|parquet-wasm]... FILE...\n');
  process.exit(2);
}
const result = {};
for (const path of paths) {
  result[path] = {};
  for (const name of names.length ? names : Object.keys(readers)) {
    try {
      result[path][name] = await readers[name](path);
    } catch (error) {
      result[path][name] = { error: String(error?.message ?? error) };
    }
  }
}
printJson(result);
