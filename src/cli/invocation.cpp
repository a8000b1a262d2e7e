#include "sp/cli/invocation.hpp"

#include <ostream>

namespace sp::cli {

void Invocation::print(const View& view) const {
  render(out, view, {.format = settings.output, .color = settings.color});
}

void Invocation::note(const std::string& line) const {
  if (!quiet) err << line << '\n';
}

store::Database open_existing_store(const Invocation& invocation) {
  return value_or_throw(store::open_store(invocation.home(), store::OpenMode::existing));
}

store::Database open_store_for_writing(const Invocation& invocation) {
  return value_or_throw(store::open_store(invocation.home(), store::OpenMode::create_missing));
}

} // namespace sp::cli
