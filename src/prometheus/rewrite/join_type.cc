#include "prometheus/rewrite/join_type.h"

#include <cctype>
#include <string>

namespace prometheus::rewrite {

std::optional<JoinType> JoinTypeNamed(std::string_view spelled) {
  std::string word;
  for (char c : spelled) {
    if (c == '_' || std::isspace(static_cast<unsigned char>(c))) continue;
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (word.empty() || word == "inner") return JoinType::kInner;
  if (word == "cross") return JoinType::kCross;
  if (word == "left" || word == "leftouter") return JoinType::kLeftOuter;
  if (word == "right" || word == "rightouter") return JoinType::kRightOuter;
  if (word == "outer" || word == "full" || word == "fullouter")
    return JoinType::kFullOuter;
  if (word == "semi" || word == "leftsemi") return JoinType::kLeftSemi;
  if (word == "anti" || word == "leftanti") return JoinType::kLeftAnti;
  return std::nullopt;
}

std::string_view JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "inner";
    case JoinType::kCross:
      return "cross";
    case JoinType::kLeftOuter:
      return "left outer";
    case JoinType::kRightOuter:
      return "right outer";
    case JoinType::kFullOuter:
      return "full outer";
    case JoinType::kLeftSemi:
      return "left semi";
    case JoinType::kLeftAnti:
      return "left anti";
  }
  return "unknown";
}

bool CanBroadcast(JoinType type, fix::JoinSide side) {
  switch (type) {
    case JoinType::kInner:
    case JoinType::kCross:
      return true;
    case JoinType::kLeftOuter:
    case JoinType::kLeftSemi:
    case JoinType::kLeftAnti:
      return side == fix::JoinSide::kRight;
    case JoinType::kRightOuter:
      return side == fix::JoinSide::kLeft;
    case JoinType::kFullOuter:
      return false;
  }
  return false;
}

}  // namespace prometheus::rewrite
