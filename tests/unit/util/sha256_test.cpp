#include "sp/util/sha256.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using sp::util::Sha256;
using sp::util::sha256_hex;

// Vectors from FIPS 180-4's examples and NIST's SHA-256 test set.
TEST_CASE("SHA-256 matches the published test vectors", "[util][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
            "mnopqrstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 gives the same digest however the input is split", "[util][sha256]") {
  const std::string text(1000, 'x');
  const std::string whole = sha256_hex(text);
  // Split points around the 64-byte block and the 56-byte padding boundary.
  for (std::size_t split : {std::size_t{0}, std::size_t{1}, std::size_t{55}, std::size_t{56}, std::size_t{63},
                            std::size_t{64}, std::size_t{65}, std::size_t{999}}) {
    Sha256 hash;
    hash.update(std::string_view(text).substr(0, split));
    hash.update(std::string_view(text).substr(split));
    CHECK(hash.hex() == whole);
  }
  // Lengths around the padding edge.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("SHA-256 of a file equals that of its bytes and a missing file is an error", "[util][sha256]") {
  sp::test::TempDir dir;
  const std::string content(200'000, 'q');
  std::ofstream(dir / "f", std::ios::binary) << content;
  auto digest = sp::util::sha256_file(dir / "f");
  REQUIRE(digest.has_value());
  CHECK(*digest == sha256_hex(content));
  CHECK_FALSE(sp::util::sha256_file(dir / "missing").has_value());
}
