// Shell-style glob matching over '/'-separated relative paths, as pure string
// logic (no file system), so artifact rules can be tested on plain lists.
#pragma once

#include <string_view>

namespace sp::util {

// `*` matches within one path segment, `**` across segments (`**/` also
// matches no directory at all), `?` one character other than '/', and
// `[abc]`, `[a-z]`, `[!x]` one character of a set. Everything else is literal.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace sp::util
