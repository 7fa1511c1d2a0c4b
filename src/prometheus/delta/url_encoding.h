// Percent-encoding of Delta file paths (add.path is a URI, RFC 2396).
#pragma once

#include <string>
#include <string_view>

namespace prometheus::delta {

// Decodes %XX escapes; other bytes pass through.
std::string UrlDecode(std::string_view text);

// Escapes every byte outside [A-Za-z0-9-._~/].
std::string UrlEncodePath(std::string_view path);

}  // namespace prometheus::delta
