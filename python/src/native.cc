// prometheus._native: the C++ library for the Python package (python/prometheus).
#include <nanobind/nanobind.h>

#include "bindings.h"

NB_MODULE(_native, m) {
  m.doc() = "Prometheus' native library; use the prometheus package, not this module.";
  prometheus::python::BindRun(m);
  prometheus::python::BindLogRows(m);
}
