// Fuzzes the reader of S3's ListObjectsV2 and error answers: whatever an
// S3-compatible server (or a proxy in front of it) sends must read as a page
// or fail as an external error (exit 6), never crash or hang; a page read
// keeps its promise that a truncated listing can be continued.
#include "sp/storage/s3_mapping.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto page = sp::storage::read_list_objects_v2(text);
  if (!page) {
    if (page.error().kind() != sp::ErrorKind::external) std::abort();
  } else if (page->truncated && (!page->next_continuation || page->next_continuation->empty())) {
    std::abort();
  }
  (void)sp::storage::read_s3_error(text);
  return 0;
}
