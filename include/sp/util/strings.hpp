// Small string helpers that know nothing about sp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sp::util {

// Edits from one word to the other, for "did you mean" hints: insertions,
// deletions, substitutions, and swaps of two adjacent letters, each one
// edit (optimal string alignment), since a swap is one slip of the fingers.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo.
std::optional<std::string> nearest(std::string_view word, std::span<const std::string> candidates);

std::string join(std::span<const std::string> parts, std::string_view separator);

bool starts_with(std::string_view text, std::string_view prefix);

// The offset of the first byte that is not part of valid UTF-8 (overlong
// forms, surrogates and values past U+10FFFF included), or nullopt.
std::optional<std::size_t> invalid_utf8_offset(std::string_view text);

} // namespace sp::util
