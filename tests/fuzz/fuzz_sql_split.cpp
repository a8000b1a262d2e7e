// Fuzzes the SQL script splitter: any text must split or fail cleanly with a
// position inside the script, and what it gives back must be stable: the
// statements joined with ';' split again into the same statements (a
// statement set comes back as loose INSERTs, which are one set too).
#include "sp/core/sql_script.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

int lines_in(std::string_view text) {
  int lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  }
  return lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto split = sp::core::split_sql_script(text, "fuzz.sql");
  if (!split) {
    if (split.error().kind() != sp::ErrorKind::usage) std::abort();
    return 0;
  }
  const int last_line = lines_in(text);
  std::string joined;
  for (const auto& statement : split->statements) {
    if (statement.text.empty() || statement.at.line < 1 || statement.at.line > last_line) std::abort();
    if (statement.at.column < 1) std::abort();
    joined += statement.text;
    joined += ";\n";
  }
  const auto again = sp::core::split_sql_script(joined, "fuzz.sql");
  if (!again || again->statements.size() != split->statements.size()) std::abort();
  for (std::size_t i = 0; i < again->statements.size(); ++i) {
    if (again->statements[i].text != split->statements[i].text) std::abort();
    if (again->statements[i].kind != split->statements[i].kind) std::abort();
  }
  return 0;
}
