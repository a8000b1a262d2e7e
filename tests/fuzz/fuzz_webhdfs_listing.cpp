// Fuzzes the readers of WebHDFS's answers (DirectoryListing pages,
// FileStatus, RemoteException): whatever a NameNode (or a proxy in front of
// it) sends must read as a value or fail as an external error (exit 6),
// never crash or hang; a page read keeps its promise that a listing with
// entries remaining can be continued after its last entry.
#include "sp/storage/webhdfs_mapping.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto page = sp::storage::read_directory_listing(text);
  if (!page) {
    if (page.error().kind() != sp::ErrorKind::external) std::abort();
  } else if (page->remaining_entries > 0 &&
             (page->entries.empty() || page->entries.back().path_suffix.empty())) {
    std::abort();
  }
  const auto status = sp::storage::read_file_status(text);
  if (!status && status.error().kind() != sp::ErrorKind::external) std::abort();
  if (const auto exception = sp::storage::read_remote_exception(text)) {
    if (exception->exception.empty() || exception->message.find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
