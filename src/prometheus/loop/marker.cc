#include "prometheus/loop/marker.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "prometheus/base/fnv1a.h"

namespace prometheus::loop {
namespace {

using nlohmann::json;
constexpr std::string_view kOpen = "<!-- prometheus-loop ";
constexpr std::string_view kClose = " -->";

}  // namespace

std::string FindingId(const std::string& rule, const std::string& fix_json) {
  // The fix re-serialised, so that key order and spacing do not matter.
  json fix = json::parse(fix_json, nullptr, false);
  std::string text = rule + "\n" + (fix.is_discarded() ? fix_json : fix.dump());
  return fmt::format("{:016x}", Fnv1a(kFnv1aOffsetBasis, text));
}

std::string WriteMarker(const Marker& marker) {
  json job = {{"slug", marker.job.slug}, {"label", marker.job.label}};
  if (marker.job.job_id) job["job_id"] = *marker.job.job_id;
  else job.update({{"app_name", marker.job.app_name}, {"entry_point", marker.job.entry_point}});
  json doc = {{"kind", marker.kind}, {"job", job}, {"impact", marker.impact_by_finding},
              {"ids", marker.recommendation_ids}};
  if (marker.reverts) doc["reverts"] = marker.reverts;
  // "--" cannot appear inside an HTML comment: JSON escapes it away.
  std::string text = doc.dump();
  std::string safe;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && i + 1 < text.size() && text[i + 1] == '-') safe += "\\u002d";
    else safe += text[i];
  }
  return fmt::format("{}{}{}", kOpen, safe, kClose);
}

std::optional<Marker> ReadMarker(const std::string& body) {
  size_t start = body.rfind(kOpen);
  if (start == std::string::npos) return std::nullopt;
  start += kOpen.size();
  size_t end = body.find(kClose, start);
  if (end == std::string::npos) return std::nullopt;
  json doc = json::parse(body.substr(start, end - start), nullptr, false);
  if (!doc.is_object() || !doc.contains("job") || !doc["job"].is_object()) return std::nullopt;
  const json& job = doc["job"];
  Marker marker;
  marker.kind = doc.value("kind", "fixes");
  if (job.contains("job_id") && job["job_id"].is_number_integer()) {
    marker.job = DatabricksJob(job["job_id"].get<int64_t>());
  } else {
    marker.job = NamedJob(job.value("app_name", ""), job.value("entry_point", ""));
  }
  if (doc.contains("impact") && doc["impact"].is_object()) {
    for (const auto& [id, impact] : doc["impact"].items())
      if (impact.is_number()) marker.impact_by_finding[id] = impact.get<double>();
  }
  if (doc.contains("ids") && doc["ids"].is_array()) {
    for (const auto& id : doc["ids"])
      if (id.is_string()) marker.recommendation_ids.push_back(id.get<std::string>());
  }
  marker.reverts = doc.value("reverts", int64_t{0});
  return marker;
}

std::string CommentTag(const std::string& kind) {
  return fmt::format("<!-- prometheus-loop:{} -->", kind);
}

bool HasCommentTag(const std::string& body, const std::string& kind) {
  return body.find(CommentTag(kind)) != std::string::npos;
}

}  // namespace prometheus::loop
