#include "sp/util/strings.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace sp::util {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the DP table: a swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::swap(before, previous);
    std::swap(previous, row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest(std::string_view word, std::span<const std::string> candidates) {
  // A third of the word's length (at least 1, at most 3) keeps hints for typos
  // and avoids absurd suggestions for unrelated words.
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (starts_with(candidate, word) && !word.empty()) distance = std::min<std::size_t>(distance, 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string join(std::span<const std::string> parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += separator;
    out += parts[i];
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }

std::optional<std::size_t> invalid_utf8_offset(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t point = 0;
    if (byte < 0x80U) {
      ++i;
      continue;
    }
    if ((byte & 0xE0U) == 0xC0U) {
      length = 2;
      point = byte & 0x1FU;
    } else if ((byte & 0xF0U) == 0xE0U) {
      length = 3;
      point = byte & 0x0FU;
    } else if ((byte & 0xF8U) == 0xF0U) {
      length = 4;
      point = byte & 0x07U;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) return i;
      point = (point << 6U) | (next & 0x3FU);
    }
    const bool overlong = (length == 2 && point < 0x80U) || (length == 3 && point < 0x800U) ||
                          (length == 4 && point < 0x10000U);
    if (overlong || (point >= 0xD800U && point <= 0xDFFFU) || point > 0x10FFFFU) return i;
    i += length;
  }
  return std::nullopt;
}

} // namespace sp::util
