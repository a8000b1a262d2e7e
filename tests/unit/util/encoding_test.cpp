#include "sp/util/encoding.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace sp::util;

TEST_CASE("base64 matches RFC 4648's test vectors", "[util][encoding]") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("gzip is deterministic, compresses SQL well and reads back", "[util][encoding]") {
  std::string sql;
  for (int i = 0; i < 2000; ++i)
    sql += "INSERT INTO sink SELECT customer, COUNT(*) FROM orders GROUP BY customer;\n";
  const auto packed = gzip(sql);
  CHECK(packed.substr(0, 2) == "\x1f\x8b"); // the gzip magic the runner checks
  CHECK(packed == gzip(sql));
  CHECK(packed.size() * 20 < sql.size());
  CHECK(gunzip(packed) == sql);
  CHECK(gunzip(gzip("")).empty());
}

TEST_CASE("gunzip refuses what is not gzip, and a cut-off stream", "[util][encoding]") {
  CHECK_THROWS_AS(gunzip("plain text"), std::runtime_error);
  const auto packed = gzip("some text long enough to matter, some text long enough to matter");
  CHECK_THROWS_AS(gunzip(packed.substr(0, packed.size() / 2)), std::runtime_error);
}
