// Owners for libcurl's handles, shared by the HTTP and SMTP transports.
// Private to src/net: curl.h stays out of include/.
#pragma once

#include "sp/net/http.hpp"

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
  // grown is the same list, one item longer: hand ownership over without freeing it.
  [[maybe_unused]] curl_slist* same = list.release();
  list.reset(grown);
  return true;
}

// What every transfer of sp sets: no signals (sp may run threads), the
// error text into `error_buffer` (CURL_ERROR_SIZE), the timeouts, and how
// the peer is trusted.
inline void set_common_options(CURL* curl, const TlsSettings& tls, const Timeouts& timeouts,
                               char* error_buffer) {
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts.total.count()));
  if (tls.ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file->c_str());
  if (tls.insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

} // namespace sp::net
