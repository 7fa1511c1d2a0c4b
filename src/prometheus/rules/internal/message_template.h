// Message and fix templates: literal text with "{name}" or "{name:format}"
// placeholders; "{{" and "}}" stand for literal braces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rules/expression.h"

namespace prometheus::rules::internal {

struct TemplatePiece {
  std::string text;    // literal text, or the placeholder's name
  std::string format;  // the placeholder's format ("" for none)
  bool placeholder = false;
};

// Splits `text` into pieces, checking each format (see IsValueFormat).
// Errors read "line L, column C: expected ..., found ...".
Result<std::vector<TemplatePiece>> ParseTemplate(std::string_view text);

// The names the placeholders read, in order, without repeats.
std::vector<std::string> TemplateNames(
    const std::vector<TemplatePiece>& pieces);

// The text with every placeholder replaced by its value from `scope`; an
// unknown name is an error naming it.
Result<std::string> RenderTemplate(const std::vector<TemplatePiece>& pieces,
                                   const Scope& scope);

}  // namespace prometheus::rules::internal
