// Line differences between two texts, for `sp job diff` (a SQL job's script
// between two releases). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// A unified diff without file headers: "@@ -a,b +c,d @@" hunks of lines
// starting with ' ', '-' or '+', `context` unchanged lines around each
// change. Empty when the texts are equal. CRLF is read as LF.
std::vector<std::string> unified_line_diff(std::string_view before, std::string_view after, int context = 2);

} // namespace sp::core
