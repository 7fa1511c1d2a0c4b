// The canonical JSON rows the C++ tests compare against: every reader's
// values are turned into the same typed form, so nothing is lost to
// JavaScript numbers.
//
//   {"columns": [{"name": "...", "type": "int32|int64|double|boolean|string|timestamp"}],
//    "rows": [[cell, ...], ...]}
//
// Cells: integers and timestamps (microseconds since the epoch, UTC) as
// decimal strings; doubles as JSON numbers, or "NaN", "Infinity",
// "-Infinity"; booleans; strings; null.

export function canonicalDouble(value) {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

export function canonicalInt(value) {
  if (value === null || value === undefined) return null;
  return BigInt(value).toString();
}

// Floor division of bigints (nanoseconds to microseconds, rounding down).
export function floorDiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function canonicalCell(type, value) {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'int32':
    case 'int64':
    case 'timestamp':
      return canonicalInt(value);
    case 'double':
      return canonicalDouble(value);
    case 'boolean':
      return Boolean(value);
    default:
      return String(value);
  }
}

// Prints `result` as one line of JSON; bigints become decimal strings.
export function printJson(result) {
  process.stdout.write(JSON.stringify(result, (key, value) =>
    typeof value === 'bigint' ? value.toString() : value) + '\n');
}

// The canonical type of a Parquet schema element as hyparquet reports it
// (physical type plus converted or logical type).
export function typeOfParquetElement(element) {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
      return 'int32';
    case 'INT64':
      if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MICROS' ||
          converted === 'TIMESTAMP_MILLIS') return 'timestamp';
      return 'int64';
    case 'INT96':
      return 'timestamp';
    case 'FLOAT':
    case 'DOUBLE':
      return 'double';
    case 'BYTE_ARRAY':
      return 'string';
    default:
      return 'unsupported:' + element.type;
  }
}
