#include "sp/core/problems.hpp"

#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::core {

namespace {
// Enough to fix a file in one go without flooding the terminal.
constexpr std::size_t max_listed = 20;
} // namespace

std::string SourceLocation::to_string() const { return fmt::format("{}:{}:{}", file, line, column); }

std::string Problem::line() const {
  std::string text;
  if (location) text = location->to_string() + ": ";
  if (!field.empty()) text += field + ": ";
  return text + message;
}

std::optional<Error> problems_error(const std::vector<Problem>& problems, const std::string& doing) {
  if (problems.empty()) return std::nullopt;
  const bool usage =
      std::ranges::any_of(problems, [](const Problem& p) { return p.kind == ErrorKind::usage; });
  const ErrorKind kind = usage ? ErrorKind::usage : problems.front().kind;
  if (problems.size() == 1) {
    const auto& problem = problems.front();
    const std::string where = problem.location ? doing + " " + problem.location->to_string() : doing;
    return Error(kind, where,
                 problem.field.empty() ? problem.message : problem.field + ": " + problem.message);
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < problems.size() && i < max_listed; ++i) lines.push_back(problems[i].line());
  if (problems.size() > max_listed)
    lines.push_back(fmt::format("... and {} more", problems.size() - max_listed));
  return Error(kind, doing, fmt::format("{} problems:\n  {}", problems.size(), util::join(lines, "\n  ")));
}

} // namespace sp::core
