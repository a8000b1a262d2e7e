#include "sp/util/glob.hpp"

namespace sp::util {

namespace {

// Matches a bracket expression at pattern[0] against c; returns the length of
// the expression, or 0 when it does not match (or is not a valid set, in
// which case '[' is matched literally by the caller).
std::size_t match_set(std::string_view pattern, char c, bool& valid) {
  std::size_t i = 1;
  const bool negated = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negated) ++i;
  bool matched = false;
  bool first = true;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == ']' && !first) {
      valid = true;
      return matched != negated ? i + 1 : 0;
    }
    first = false;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) matched = true;
      i += 2;
    } else if (pattern[i] == c) {
      matched = true;
    }
  }
  valid = false;
  return 0;
}

bool match_from(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.starts_with("**")) {
      std::string_view rest = pattern.substr(2);
      if (rest.starts_with('/')) {
        // `**/x` also matches `x` at this level.
        if (match_from(rest.substr(1), path)) return true;
      }
      for (std::size_t skip = 0; skip <= path.size(); ++skip) {
        if (match_from(rest, path.substr(skip))) return true;
      }
      return false;
    }
    const char p = pattern.front();
    if (p == '*') {
      const std::string_view rest = pattern.substr(1);
      for (std::size_t skip = 0; skip <= path.size(); ++skip) {
        if (match_from(rest, path.substr(skip))) return true;
        if (skip < path.size() && path[skip] == '/') break; // one segment only
      }
      return false;
    }
    if (path.empty()) return false;
    const char c = path.front();
    if (p == '?') {
      if (c == '/') return false;
      pattern.remove_prefix(1);
    } else if (p == '[') {
      bool valid = false;
      const std::size_t length = c == '/' ? 0 : match_set(pattern, c, valid);
      if (length == 0 && valid) return false;
      if (length == 0 && c == '/') return false;
      if (length == 0) { // not a set: a literal '['
        if (c != '[') return false;
        pattern.remove_prefix(1);
      } else {
        pattern.remove_prefix(length);
      }
    } else {
      if (p != c) return false;
      pattern.remove_prefix(1);
    }
    path.remove_prefix(1);
  }
  return path.empty();
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_from(pattern, path); }

} // namespace sp::util
