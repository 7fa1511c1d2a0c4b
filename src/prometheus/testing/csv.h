// An RFC 4180 reader for tests: quoted fields may hold commas, doubled
// quotes and newlines. Malformed quoting fails the test.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace prometheus::testing {

using CsvRecord = std::vector<std::string>;

// With `require_final_newline`, a last record without one fails the test;
// without it, that record is kept. A CR before a line feed is dropped.
inline std::vector<CsvRecord> ParseCsv(const std::string& text,
                                       bool require_final_newline = true) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty() && !was_quoted) << "stray quote at " << i;
      quoted = was_quoted = true;
    } else if (c == ',' || c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      if (c == '\n') {
        records.push_back(std::move(record));
        record.clear();
      }
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else {
      EXPECT_FALSE(was_quoted) << "text after closing quote at " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  if (require_final_newline) {
    EXPECT_TRUE(field.empty() && record.empty()) << "last record has no newline";
  } else if (!field.empty() || !record.empty() || was_quoted) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace prometheus::testing
