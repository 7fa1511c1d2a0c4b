// Table names and paths as code builds them: literals, f-strings,
// `"{}.{}".format(...)`, `+` concatenations and constants assigned once,
// matched against the concrete name or location a plan prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// A string the code builds: literal text, with holes where a value is not
// known in the file (a parameter, a config attribute, a name assigned more
// than once).
struct TextPattern {
  struct Part {
    std::string text;
    bool hole = false;
  };
  std::vector<Part> parts;

  bool IsLiteral() const;
};

// The pattern of an expression: a string literal (plain, raw or f-string;
// escape sequences refuse), `"<template>".format(...)` with `{}`/`{name}`
// fields, `a + b`, `os.path.join(a, b, ...)`, and a name assigned exactly
// once in the file (at most
// four names deep); each `{}` value resolves the same way or is a hole.
// nullopt for anything else.
std::optional<TextPattern> PatternOf(const PythonSource& source,
                                     TSNode expression);

// True when `written` names the table `concrete` (`main.silver.dim_date`):
// its components (backticks and case aside) equal the concrete name's last
// ones, holes standing for one or more characters; the concrete name's last
// component must be written out whole (`f"{catalog}.{schema}.dim_date"`
// matches, `f"{schema}.dim_{x}"` does not).
bool TableMatches(const TextPattern& written, std::string_view concrete);

// A location with its scheme and authority (`dbfs:`, `file:`,
// `s3a://bucket`, `abfss://c@a.dfs.core.windows.net`), `/dbfs` FUSE
// prefix, Windows drive and separators, trailing slashes and trailing glob
// components removed: `dbfs:/mnt/raw/races/` → `/mnt/raw/races`,
// `file:/C:/Users/u/x` and `C:\Users\u\x` → `/Users/u/x`.
std::string NormalisedPath(std::string_view path);

// True when `written` reads the location `concrete`, both normalised: an
// absolute literal path equals it; a relative path or a template matches
// its last components (`data/zones`, `f"{raw}/races"`), holes standing for
// one or more characters, the last component written out whole.
bool PathMatches(const TextPattern& written, std::string_view concrete);

}  // namespace prometheus::rewrite
