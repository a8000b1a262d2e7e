// SHA-256 (FIPS 180-4), self-contained so artifact digests need no crypto
// library. Streaming: feed bytes with update(), read the digest with hex().
#pragma once

#include "sp/util/error.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sp::util {

class Sha256 {
public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the digest; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> finish();
  // finish() as 64 lowercase hex digits.
  std::string hex();

private:
  void compress(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The digest of a byte string as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// The digest of a file's content, read in chunks.
Result<std::string> sha256_file(const std::filesystem::path& path);

} // namespace sp::util
