// The HTML report's scripts and styles, compiled in from web/ by
// cmake/EmbedWeb.cmake: Chart.js (pinned in web/package-lock.json, installed
// by tools/install-deps.sh) with its licence, and our own glue.
#pragma once

#include <string_view>

namespace prometheus::report::internal {

std::string_view ChartJs();
std::string_view ChartJsVersion();
std::string_view ChartJsLicense();
std::string_view ReportJs();
std::string_view ReportCss();

}  // namespace prometheus::report::internal
