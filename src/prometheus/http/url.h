// Building URLs: percent-encoding of query values and path segments.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::http {

// RFC 3986 unreserved characters kept, every other byte as %XX.
std::string PercentEncode(std::string_view text);

// Each segment of an absolute path percent-encoded, the '/' kept.
std::string EncodePath(std::string_view path);

// "?a=1&b=x%2Fy" from name-value pairs (values encoded); "" for none.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace prometheus::http
