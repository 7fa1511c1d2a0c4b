#include "prometheus/rewrite/fix_batch.h"

#include <fmt/format.h>

#include <algorithm>

namespace prometheus::rewrite {
namespace {

// Two fixes are the same when their records are (kind, parameters and call
// site alike) and, for settings, their jobs' entry points: one script's
// setting is not another's.
bool SameFix(const FixRequest& a, const FixRequest& b) {
  if (fix::ToJson(a.fix) != fix::ToJson(b.fix)) return false;
  return !std::holds_alternative<fix::Conf>(a.fix.kind) ||
         a.anchors.entry_point == b.anchors.entry_point;
}

// Settings conflict per job: the key, in the job's entry point.
std::string SettingKey(const FixRequest& request, const fix::Conf& conf) {
  return request.anchors.entry_point + '\x1f' + conf.key;
}

}  // namespace

void FixBatch::Expect(const FixRequest& request) {
  const auto* conf = std::get_if<fix::Conf>(&request.fix.kind);
  if (!conf) return;
  auto [kept, added] = kept_settings_.emplace(SettingKey(request, *conf), request);
  if (!added && request.id < kept->second.id) kept->second = request;
}

void FixBatch::Run(const FixRequest& request) {
  for (BatchItem& item : items_) {
    if (SameFix(item.request, request)) {
      // Ids in order, and the smallest names the item, so that the report
      // does not depend on the order the recommendations came in (a lake's
      // is not fixed).
      item.ids.insert(
          std::upper_bound(item.ids.begin(), item.ids.end(), request.id),
          request.id);
      if (request.id < item.request.id) item.request = request;
      return;
    }
  }
  if (const auto* conf = std::get_if<fix::Conf>(&request.fix.kind)) {
    auto kept = kept_settings_.find(SettingKey(request, *conf));
    const auto* value =
        kept == kept_settings_.end()
            ? nullptr
            : std::get_if<fix::Conf>(&kept->second.fix.kind);
    if (value && value->value != conf->value) {
      FixOutcome outcome;
      outcome.safety = fix::SafetyOf(request.fix);
      outcome.status = FixStatus::kSkipped;
      outcome.note = fmt::format(
          "two recommendations set {} to {} and {}: kept {} ({}, the "
          "smaller id), skipped this one",
          conf->key, value->value, conf->value, value->value,
          kept->second.id.substr(0, 8));
      items_.push_back({request, std::move(outcome), {request.id}});
      return;
    }
  }
  items_.push_back(
      {request, RunFix(tree_, request.fix, request.anchors), {request.id}});
}

void FixBatch::Skip(const FixRequest& request, std::string why) {
  FixOutcome outcome;
  outcome.status = FixStatus::kSkipped;
  outcome.safety = fix::SafetyOf(request.fix);
  outcome.note = std::move(why);
  items_.push_back({request, std::move(outcome), {request.id}});
}

}  // namespace prometheus::rewrite
