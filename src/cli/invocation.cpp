#include "sp/cli/invocation.hpp"

#include <ostream>

namespace sp::cli {

void Invocation::print(const View& view) const {
  if (display) display->end_line();
  render(out, view, {.format = settings.output, .color = settings.color});
}

void Invocation::note(const std::string& line) const {
  if (quiet) return;
  if (display) display->end_line();
  err << line << '\n';
}

void Invocation::warn(const std::string& line) const {
  if (display) display->end_line();
  err << line << '\n';
}

store::Database open_existing_store(const Invocation& invocation) {
  return value_or_throw(store::open_store(invocation.home(), store::OpenMode::existing));
}

store::Database open_store_for_writing(const Invocation& invocation) {
  return value_or_throw(store::open_store(invocation.home(), store::OpenMode::create_missing));
}

} // namespace sp::cli
