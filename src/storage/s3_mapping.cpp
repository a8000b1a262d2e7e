// Pure S3 mapping: paths to URLs, ListObjectsV2 and error bodies to values.
// S3's answers are small, flat XML; a reader for exactly that shape (named
// elements, never nested in themselves, five entities and character
// references) keeps an XML library out of sp.
#include "sp/storage/s3_mapping.hpp"

#include "sp/util/encoding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace sp::storage {

namespace {

constexpr std::array<std::string_view, 3> s3_schemes{"s3://", "s3a://", "s3p://"};

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// XML character data with its entities and character references resolved;
// an unknown entity is kept as written.
std::string xml_text(std::string_view raw) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> entities{
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  std::string out;
  out.reserve(raw.size());
  for (std::size_t at = 0; at < raw.size();) {
    if (raw[at] != '&') {
      out += raw[at++];
      continue;
    }
    const auto rest = raw.substr(at);
    const auto named =
        std::ranges::find_if(entities, [&](const auto& e) { return rest.starts_with(e.first); });
    if (named != entities.end()) {
      out += named->second;
      at += named->first.size();
      continue;
    }
    // A character reference: "&#" digits ';' or "&#x" hex digits ';'.
    const auto semicolon = rest.find(';');
    if (!rest.starts_with("&#") || semicolon == std::string_view::npos) {
      out += raw[at++];
      continue;
    }
    const bool hex = rest.starts_with("&#x");
    const auto digits = rest.substr(hex ? 3 : 2, semicolon - (hex ? 3 : 2)); // ';' is past the prefix
    std::uint32_t code = 0;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
    if (digits.empty() || parsed.ptr != digits.data() + digits.size() || code > 0x10FFFF) {
      out += raw[at++];
      continue;
    }
    append_utf8(out, code);
    at += semicolon + 1;
  }
  return out;
}

// The raw content of each <tag>…</tag> (or <tag/>, empty) in `xml`, in
// order; nullopt when one is not closed.
std::optional<std::vector<std::string_view>> elements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> found;
  const std::string open = "<" + std::string(tag);
  const std::string close = "</" + std::string(tag) + ">";
  for (auto at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at + 1)) {
    const auto after = at + open.size();
    if (after >= xml.size() || (xml[after] != '>' && xml[after] != ' ' && xml[after] != '/')) continue;
    const auto end_of_tag = xml.find('>', after);
    if (end_of_tag == std::string_view::npos) return std::nullopt;
    if (xml[end_of_tag - 1] == '/') {
      found.emplace_back();
      continue;
    }
    const auto closing = xml.find(close, end_of_tag + 1);
    if (closing == std::string_view::npos) return std::nullopt;
    found.push_back(xml.substr(end_of_tag + 1, closing - end_of_tag - 1));
    at = closing;
  }
  return found;
}

// The text of the first <tag> in `xml`; nullopt when there is none or it is not closed.
std::optional<std::string> first_text(std::string_view xml, std::string_view tag) {
  auto found = elements(xml, tag);
  if (!found || found->empty()) return std::nullopt;
  return xml_text(found->front());
}

Error not_a_listing(const std::string& why) {
  return Error(ErrorKind::external, "reading an S3 listing (ListObjectsV2)", why);
}

Result<S3Object> read_object(std::string_view contents) {
  S3Object object;
  auto key = first_text(contents, "Key");
  if (!key) return std::unexpected(not_a_listing("an object (Contents) has no Key"));
  object.key = std::move(*key);
  if (auto size = first_text(contents, "Size")) {
    std::int64_t bytes = 0;
    const auto parsed = std::from_chars(size->data(), size->data() + size->size(), bytes);
    if (parsed.ec != std::errc{} || parsed.ptr != size->data() + size->size()) {
      return std::unexpected(not_a_listing(fmt::format("the Size of {} is not a number", object.key)));
    }
    object.size_bytes = bytes;
  }
  object.last_modified = first_text(contents, "LastModified").value_or("");
  return object;
}

// The bucket's own URL, without a trailing '/'.
Result<std::string> bucket_url(const S3Endpoint& endpoint, const std::string& bucket) {
  std::string_view base = endpoint.endpoint;
  while (base.ends_with('/')) base.remove_suffix(1);
  const auto scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos ||
      !(base.starts_with("http://") || base.starts_with("https://")) || scheme_end + 3 >= base.size()) {
    return fail(ErrorKind::usage, "reading the cluster's storage.s3.endpoint",
                fmt::format("'{}' is not an http:// or https:// address", endpoint.endpoint));
  }
  if (endpoint.path_style) return fmt::format("{}/{}", base, util::percent_encode(bucket, false));
  return fmt::format("{}{}.{}", base.substr(0, scheme_end + 3), bucket, base.substr(scheme_end + 3));
}

} // namespace

bool is_s3_uri(std::string_view uri) {
  return std::ranges::any_of(s3_schemes, [&](std::string_view scheme) { return uri.starts_with(scheme); });
}

Result<S3Location> parse_s3_uri(std::string_view uri) {
  const auto scheme =
      std::ranges::find_if(s3_schemes, [&](std::string_view s) { return uri.starts_with(s); });
  if (scheme == s3_schemes.end()) {
    return fail(ErrorKind::usage, "reading the S3 path " + std::string(uri),
                "it is not an s3://, s3a:// or s3p:// path");
  }
  const auto rest = uri.substr(scheme->size());
  const auto slash = rest.find('/');
  S3Location location{std::string(rest.substr(0, slash)), ""};
  if (location.bucket.empty()) {
    return fail(ErrorKind::usage, "reading the S3 path " + std::string(uri), "it names no bucket");
  }
  if (slash != std::string_view::npos) {
    auto key = rest.substr(slash);
    while (key.starts_with('/')) key.remove_prefix(1);
    location.key = std::string(key);
  }
  return location;
}

Result<std::string> s3_object_url(const S3Endpoint& endpoint, const S3Location& object) {
  auto base = bucket_url(endpoint, object.bucket);
  if (!base) return std::unexpected(base.error());
  return *base + "/" + util::percent_encode(object.key, true);
}

Result<std::string> s3_list_url(const S3Endpoint& endpoint, const std::string& bucket,
                                const std::string& prefix, std::size_t max_keys,
                                const std::optional<std::string>& continuation) {
  auto base = bucket_url(endpoint, bucket);
  if (!base) return std::unexpected(base.error());
  // Sorted by name, as SigV4's canonical query string orders them.
  std::string query;
  if (continuation) query += "continuation-token=" + util::percent_encode(*continuation, false) + "&";
  query += fmt::format("delimiter=%2F&list-type=2&max-keys={}&prefix={}", max_keys,
                       util::percent_encode(prefix, false));
  return *base + "/?" + query;
}

Result<S3ListPage> read_list_objects_v2(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos) {
    return std::unexpected(not_a_listing("the answer is not a ListBucketResult"));
  }
  S3ListPage page;
  auto contents = elements(xml, "Contents");
  auto prefixes = elements(xml, "CommonPrefixes");
  if (!contents || !prefixes) return std::unexpected(not_a_listing("an element is not closed"));
  for (const auto entry : *contents) {
    auto object = read_object(entry);
    if (!object) return std::unexpected(object.error());
    page.objects.push_back(std::move(*object));
  }
  for (const auto entry : *prefixes) {
    auto prefix = first_text(entry, "Prefix");
    if (!prefix) return std::unexpected(not_a_listing("a CommonPrefixes entry has no Prefix"));
    page.common_prefixes.push_back(std::move(*prefix));
  }
  page.truncated = first_text(xml, "IsTruncated") == "true";
  page.next_continuation = first_text(xml, "NextContinuationToken");
  if (page.truncated && (!page.next_continuation || page.next_continuation->empty())) {
    return std::unexpected(not_a_listing("the page is truncated but gives no NextContinuationToken"));
  }
  return page;
}

std::optional<S3ErrorBody> read_s3_error(std::string_view xml) {
  auto error = elements(xml, "Error");
  if (!error || error->empty()) return std::nullopt;
  auto code = first_text(error->front(), "Code");
  if (!code) return std::nullopt;
  return S3ErrorBody{std::move(*code), first_text(error->front(), "Message").value_or("")};
}

} // namespace sp::storage
