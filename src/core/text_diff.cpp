#include "sp/core/text_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::core {

namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

struct Edit {
  char op;            // ' ', '-', '+'
  std::size_t before; // line index in before (for ' ' and '-')
  std::size_t after;  // line index in after (for ' ' and '+')
};

// The edit script of a longest common subsequence: scripts are small (a
// few hundred lines), so the quadratic table is fine.
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<std::uint32_t>> lcs(a.size() + 1, std::vector<std::uint32_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> edits;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      edits.push_back({' ', i++, j++});
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push_back({'-', i++, j}); // removals first, as diff(1) prints them
    } else {
      edits.push_back({'+', i, j++});
    }
  }
  return edits;
}

} // namespace

std::vector<std::string> unified_line_diff(std::string_view before, std::string_view after, int context) {
  const auto a = lines_of(before);
  const auto b = lines_of(after);
  const auto edits = edit_script(a, b);
  const auto width = static_cast<std::size_t>(std::max(context, 0));
  std::vector<std::string> out;
  std::size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].op == ' ') {
      ++k;
      continue;
    }
    // A hunk: back up over context, then run until `context`*2 unchanged lines in a row.
    std::size_t start = k >= width ? k - width : 0;
    std::size_t end = k;
    std::size_t unchanged = 0;
    while (end < edits.size() && unchanged <= 2 * width) {
      unchanged = edits[end].op == ' ' ? unchanged + 1 : 0;
      ++end;
    }
    end -= std::min(unchanged, unchanged > width ? unchanged - width : 0);
    std::size_t before_count = 0, after_count = 0;
    for (std::size_t e = start; e < end; ++e) {
      if (edits[e].op != '+') ++before_count;
      if (edits[e].op != '-') ++after_count;
    }
    out.push_back(fmt::format("@@ -{},{} +{},{} @@", edits[start].before + 1, before_count,
                              edits[start].after + 1, after_count));
    for (std::size_t e = start; e < end; ++e) {
      const auto& line = edits[e].op == '+' ? b[edits[e].after] : a[edits[e].before];
      out.push_back(std::string(1, edits[e].op) + line);
    }
    k = end;
  }
  return out;
}

} // namespace sp::core
