// The HTML report: one self-contained page (styles, scripts and data inlined;
// a Content-Security-Policy that allows no network request), drawn in the
// browser by web/report.js with Chart.js.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace prometheus::report {

// The page for `data` (BuildReportData's document).
std::string RenderHtml(const nlohmann::ordered_json& data);

// `json` made safe inside a <script> element: every "<" written as \u003c,
// which JSON reads back as the same string.
std::string JsonForScript(const nlohmann::ordered_json& json);

}  // namespace prometheus::report
