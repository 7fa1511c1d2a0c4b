# Writes OUT, a C++ file holding the HTML report's assets: Chart.js (CHART_JS,
# its package.json CHART_PACKAGE and licence CHART_LICENSE) and web/report.js
# and web/report.css (REPORT_JS, REPORT_CSS), so that the binary writes a
# self-contained report without node or network at run time.
set(body "")
foreach(pair "ChartJs;${CHART_JS}" "ChartJsLicense;${CHART_LICENSE}"
             "ReportJs;${REPORT_JS}" "ReportCss;${REPORT_CSS}")
  list(GET pair 0 name)
  list(GET pair 1 path)
  file(READ "${path}" text)
  # A source map the browser might try to fetch: the page fetches nothing.
  string(REGEX REPLACE "//# sourceMappingURL=[^\n]*" "" text "${text}")
  string(FIND "${text}" ")PROMETHEUS_ASSET\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} holds the raw-string delimiter )PROMETHEUS_ASSET\"")
  endif()
  # A raw string literal may be long, but split it anyway to keep each piece
  # well under any compiler's limit.
  string(LENGTH "${text}" size)
  set(pieces "")
  set(offset 0)
  while(offset LESS size)
    string(SUBSTRING "${text}" ${offset} 60000 piece)
    string(APPEND pieces "      R\"PROMETHEUS_ASSET(${piece})PROMETHEUS_ASSET\"\n")
    math(EXPR offset "${offset} + 60000")
  endwhile()
  if(pieces STREQUAL "")
    set(pieces "      \"\"\n")
  endif()
  string(APPEND body "std::string_view ${name}() {\n  static const std::string* text = new std::string(\n${pieces}  );\n  return *text;\n}\n\n")
endforeach()
file(READ "${CHART_PACKAGE}" package)
string(JSON version GET "${package}" version)
file(WRITE "${OUT}.tmp" "// Generated from web/ by cmake/EmbedWeb.cmake; do not edit.\n"
  "#include \"prometheus/report/internal/html_assets.h\"\n\n#include <string>\n\n"
  "namespace prometheus::report::internal {\n\n${body}"
  "std::string_view ChartJsVersion() { return \"${version}\"; }\n\n"
  "}  // namespace prometheus::report::internal\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
