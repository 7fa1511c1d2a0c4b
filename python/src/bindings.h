// The groups of functions of prometheus._native: each is defined in its own
// file beside this one and registered in native.cc. To add one, write
// `void BindX(nanobind::module_& m)` in x.cc, declare it here, call it in
// native.cc and add x.cc to python/CMakeLists.txt.
#pragma once

#include <nanobind/nanobind.h>

namespace prometheus::python {

// run(argv, capture): the command line (run.cc).
void BindRun(nanobind::module_& m);

// log_rows, table_schema, merge_keys: for the distributed observe
// (prometheus/spark.py; log_rows.cc).
void BindLogRows(nanobind::module_& m);

}  // namespace prometheus::python
