// The libcurl multi calls the concurrent transport makes, as a value, so
// unit tests can make them fail: a failed add or perform cannot be caused
// from outside libcurl, and it is where the transport once spun forever.
#pragma once

#include "sp/net/http.hpp"

#include <curl/curl.h>

#include <memory>

namespace sp::net {

struct MultiCalls {
  CURLMcode (*add_handle)(CURLM*, CURL*) = curl_multi_add_handle;
  CURLMcode (*perform)(CURLM*, int*) = curl_multi_perform;
  CURLMcode (*poll)(CURLM*, curl_waitfd*, unsigned int, int, int*) = curl_multi_poll;
};

// make_curl_multi with the given calls in place of libcurl's own.
std::unique_ptr<ConcurrentHttp> make_curl_multi(const TransportSettings& settings, long per_host,
                                                MultiCalls calls);

} // namespace sp::net
