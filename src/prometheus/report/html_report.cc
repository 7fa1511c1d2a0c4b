#include "prometheus/report/html_report.h"

#include "prometheus/report/internal/html_assets.h"

namespace prometheus::report {
namespace {

// Text inside an HTML attribute or element.
std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A licence as a JavaScript block comment.
std::string LicenseComment(std::string_view license) {
  std::string text(license);
  for (size_t at = text.find("*/"); at != std::string::npos; at = text.find("*/", at)) {
    text.replace(at, 2, "* /");
  }
  return "/*! Chart.js " + std::string(internal::ChartJsVersion()) + "\n" + text + "\n*/\n";
}

}  // namespace

std::string JsonForScript(const nlohmann::ordered_json& json) {
  std::string text = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 50);
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderHtml(const nlohmann::ordered_json& data) {
  std::string title = data.contains("title") && data["title"].is_string()
                          ? data["title"].get<std::string>()
                          : "Prometheus report";
  std::string page;
  page += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched: scripts and styles are inline, images data: URLs.
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n";
  page += "<meta name=\"generator\" content=\"prometheus\">\n";
  page += "<title>" + EscapeHtml(title) + "</title>\n<style>\n";
  page += internal::ReportCss();
  page += "</style>\n</head>\n<body>\n";
  page += "<noscript>This report draws its pages with JavaScript; allow scripts for this file.</noscript>\n";
  page += "<div id=\"app\"></div>\n";
  page += "<script id=\"prometheus-data\" type=\"application/json\">";
  page += JsonForScript(data);
  page += "</script>\n<script>\n";
  page += LicenseComment(internal::ChartJsLicense());
  page += internal::ChartJs();
  page += "\n</script>\n<script>\n";
  page += internal::ReportJs();
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace prometheus::report
