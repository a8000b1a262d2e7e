// Owners for libcurl's handles, shared by the HTTP and SMTP transports.
// Private to src/net: curl.h stays out of include/.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace sp::net {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using StringList = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends a copy of `item`; false when libcurl is out of memory (the list is kept).
inline bool append(StringList& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown == nullptr) return false;
  (void)list.release(); // grown is the same list, one item longer
  list.reset(grown);
  return true;
}

} // namespace sp::net
