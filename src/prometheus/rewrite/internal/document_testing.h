// Shared by the Document implementations' tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "prometheus/rewrite/document.h"

namespace prometheus::rewrite::internal {

// The document, expected to open.
inline std::unique_ptr<Document> Open(const std::string& path,
                                      std::string text) {
  auto document = OpenDocument(path, std::move(text));
  EXPECT_TRUE(document.has_value()) << document.error().message;
  return document ? std::move(*document) : nullptr;
}

inline bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace prometheus::rewrite::internal
