#include "sp/util/encoding.hpp"

#include <zlib.h>

#include <array>
#include <stdexcept>

namespace sp::util {

namespace {

// zlib's windowBits: 15 (32 KiB window) plus 16 selects the gzip wrapper.
constexpr int gzip_window_bits = 15 + 16;
constexpr int default_memory_level = 8;

// A z_stream that is always ended, whichever way the function leaves.
class Deflater {
public:
  Deflater() {
    if (deflateInit2(&stream_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip_window_bits, default_memory_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib: cannot start compressing");
    }
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() { deflateEnd(&stream_); }
  z_stream& stream() { return stream_; }

private:
  z_stream stream_{};
};

class Inflater {
public:
  Inflater() {
    if (inflateInit2(&stream_, gzip_window_bits) != Z_OK)
      throw std::runtime_error("zlib: cannot start reading");
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() { inflateEnd(&stream_); }
  z_stream& stream() { return stream_; }

private:
  z_stream stream_{};
};

// Runs `step` (deflate or inflate) over all of `input` until it reports the end.
template <typename Step> std::string pump(z_stream& stream, std::string_view input, Step step, int flush) {
  // zlib's API is not const-correct; it never writes through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  std::string output;
  std::array<char, 16384> buffer{};
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    status = step(&stream, flush);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      throw std::runtime_error(std::string("zlib: ") + (stream.msg ? stream.msg : "corrupt data"));
    }
    const std::size_t produced = buffer.size() - stream.avail_out;
    output.append(buffer.data(), produced);
    if (status == Z_BUF_ERROR && produced == 0) throw std::runtime_error("zlib: truncated data");
  }
  return output;
}

} // namespace

std::string gzip(std::string_view bytes) {
  Deflater deflater;
  return pump(deflater.stream(), bytes, deflate, Z_FINISH);
}

std::string gunzip(std::string_view bytes) {
  Inflater inflater;
  return pump(inflater.stream(), bytes, inflate, Z_NO_FLUSH);
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto triple = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                        (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) | std::uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(triple >> shift) & 0x3f];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t triple = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (rest == 2) triple |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    out += alphabet[(triple >> 18) & 0x3f];
    out += alphabet[(triple >> 12) & 0x3f];
    out += rest == 2 ? alphabet[(triple >> 6) & 0x3f] : '=';
    out += '=';
  }
  return out;
}

std::string percent_encode(std::string_view text, bool keep_slash) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    // ASCII by hand: std::isalnum follows the locale.
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool unreserved = alnum || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  return out;
}

} // namespace sp::util
