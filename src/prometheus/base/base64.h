// Standard base64 (RFC 4648 §4): DBFS reads, Basic auth, OpenSSH's
// known_hosts keys and salts.
#pragma once

#include <string>
#include <string_view>

#include "prometheus/base/result.h"

namespace prometheus {

// Padding required, whitespace not allowed; an invalid character is
// kCorrupt naming its offset.
Result<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);

}  // namespace prometheus
