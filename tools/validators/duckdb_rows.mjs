// Runs SQL in an in-memory DuckDB and turns the result into canonical rows
// (see canonical.mjs).
import { DuckDBInstance } from '@duckdb/node-api';
import { canonicalCell, canonicalDouble, floorDiv } from './canonical.mjs';

const kTypes = {
  BOOLEAN: 'boolean',
  TINYINT: 'int32', SMALLINT: 'int32', INTEGER: 'int32', DATE: 'int32',
  UTINYINT: 'int32', USMALLINT: 'int32', UINTEGER: 'int64', BIGINT: 'int64',
  FLOAT: 'double', DOUBLE: 'double',
  VARCHAR: 'string',
  TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamp',
  TIMESTAMP_S: 'timestamp', TIMESTAMP_MS: 'timestamp', TIMESTAMP_NS: 'timestamp',
};

function duckdbCell(type, value) {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp') {
    if (value.micros !== undefined) return value.micros.toString();
    if (value.millis !== undefined) return (value.millis * 1000n).toString();
    if (value.nanos !== undefined) return floorDiv(value.nanos, 1000n).toString();
    if (value.seconds !== undefined) return (value.seconds * 1000000n).toString();
  }
  if (value.days !== undefined) return String(value.days);  // DATE
  if (type === 'double') return canonicalDouble(value);
  if (type.startsWith('unsupported:')) return String(value);
  return canonicalCell(type, value);
}

export async function openDuckDb() {
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

// The canonical form of the result of `sql`.
export async function duckdbRows(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map(t => kTypes[t.toString()] ?? `unsupported:${t}`);
  const rows = reader.getRows().map(row => row.map((v, i) => duckdbCell(types[i], v)));
  return { columns: names.map((name, i) => ({ name, type: types[i] })), rows };
}

export function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}
