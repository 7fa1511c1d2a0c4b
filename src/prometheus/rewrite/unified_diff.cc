#include "prometheus/rewrite/unified_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace prometheus::rewrite {
namespace {

constexpr size_t kContext = 3;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t lf = text.find('\n');
    size_t n = lf == std::string_view::npos ? text.size() : lf + 1;
    lines.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return lines;
}

// One line of the edit script: ' ', '-' or '+', and indexes into each side.
struct Op {
  char kind;
  size_t a;
  size_t b;
};

// Common prefix and suffix, then a longest-common-subsequence table over
// the changed middle only: rewrites touch a few lines of large files.
std::vector<Op> Script(const std::vector<std::string_view>& a,
                       const std::vector<std::string_view>& b) {
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<std::vector<uint32_t>> lcs(n + 1,
                                         std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[pre + i] == b[pre + j]
                      ? lcs[i + 1][j + 1] + 1
                      : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Op> ops;
  for (size_t i = 0; i < pre; ++i) ops.push_back({' ', i, i});
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] == b[pre + j]) {
      ops.push_back({' ', pre + i++, pre + j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push_back({'-', pre + i++, pre + j});
    } else {
      ops.push_back({'+', pre + i, pre + j++});
    }
  }
  for (size_t k = 0; k < suf; ++k)
    ops.push_back({' ', a.size() - suf + k, b.size() - suf + k});
  return ops;
}

void AppendLine(std::string& out, char kind, std::string_view line) {
  out += kind;
  out.append(line);
  if (line.empty() || line.back() != '\n')
    out += "\n\\ No newline at end of file\n";
}

// "start,count" as diff prints it: start is the line before an empty range.
std::string Range(size_t start, size_t count) {
  return count == 1
             ? fmt::format("{}", start + 1)
             : fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before,
                        std::string_view after) {
  if (before == after) return "";
  auto a = Lines(before), b = Lines(after);
  std::vector<Op> ops = Script(a, b);
  std::string out = fmt::format("--- a/{}\n+++ b/{}\n", path, path);
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k == ops.size()) break;
    size_t first = k >= kContext ? k - kContext : 0;
    // Extend the hunk while the next change is within 2 * kContext lines.
    size_t last = k, gap = 0;
    for (size_t x = k; x < ops.size(); ++x) {
      if (ops[x].kind != ' ') {
        last = x;
        gap = 0;
      } else if (++gap > 2 * kContext) {
        break;
      }
    }
    size_t end = std::min(ops.size(), last + 1 + kContext);
    size_t a_count = 0, b_count = 0;
    for (size_t x = first; x < end; ++x) {
      if (ops[x].kind != '+') ++a_count;
      if (ops[x].kind != '-') ++b_count;
    }
    out += fmt::format("@@ -{} +{} @@\n", Range(ops[first].a, a_count),
                       Range(ops[first].b, b_count));
    for (size_t x = first; x < end; ++x) {
      AppendLine(out, ops[x].kind,
                 ops[x].kind == '+' ? b[ops[x].b] : a[ops[x].a]);
    }
    k = end;
  }
  return out;
}

std::string ColorDiff(std::string_view diff) {
  std::string out;
  while (!diff.empty()) {
    size_t end = diff.find('\n');
    std::string_view line =
        diff.substr(0, end == std::string_view::npos ? diff.size() : end + 1);
    diff.remove_prefix(line.size());
    std::string_view body = line;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
      body.remove_suffix(1);
    const char* color = nullptr;
    if (line.starts_with("--- ") || line.starts_with("+++ ")) {
      color = "\x1b[1m";
    } else if (line.starts_with("@@")) {
      color = "\x1b[36m";
    } else if (line.starts_with("-")) {
      color = "\x1b[31m";
    } else if (line.starts_with("+")) {
      color = "\x1b[32m";
    }
    if (color == nullptr) {
      out += line;
      continue;
    }
    out += color;
    out += body;
    out += "\x1b[m";
    out += line.substr(body.size());
  }
  return out;
}

}  // namespace prometheus::rewrite
