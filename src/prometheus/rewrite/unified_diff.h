// Unified diffs (as `diff -u` / `git diff` print them) of two texts.
#pragma once

#include <string>
#include <string_view>

namespace prometheus::rewrite {

// The diff of `before` and `after` under the names a/<path> and b/<path>,
// with three lines of context; "" when the texts are equal. Lines keep
// their own endings (a CRLF file gives CRLF lines); a last line without
// one is followed by "\ No newline at end of file".
std::string UnifiedDiff(std::string_view path, std::string_view before,
                        std::string_view after);

// `diff` with ANSI colours as git shows them on a terminal: headers bold,
// hunk lines cyan, removals red, additions green.
std::string ColorDiff(std::string_view diff);

}  // namespace prometheus::rewrite
