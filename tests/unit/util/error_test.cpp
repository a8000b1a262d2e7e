#include "sp/util/error.hpp"

#include <catch2/catch.hpp>

using sp::Error;
using sp::ErrorKind;

TEST_CASE("each error kind maps to the exit code of SPEC section 10", "[util]") {
  CHECK(sp::exit_code(ErrorKind::failure) == 1);
  CHECK(sp::exit_code(ErrorKind::usage) == 2);
  CHECK(sp::exit_code(ErrorKind::not_found) == 3);
  CHECK(sp::exit_code(ErrorKind::refused) == 4);
  CHECK(sp::exit_code(ErrorKind::unreachable) == 5);
  CHECK(sp::exit_code(ErrorKind::external) == 6);
  CHECK(sp::exit_code(ErrorKind::interrupted) == 130);
}

TEST_CASE("an error reads as doing: why, and keeps its kind when wrapped", "[util]") {
  const Error error(ErrorKind::not_found, "starting job orders", "no such job", "see `sp job list`");
  CHECK(std::string(error.what()) == "starting job orders: no such job");
  const Error outer = error.within("sp job restart");
  CHECK(std::string(outer.what()) == "sp job restart: starting job orders: no such job");
  CHECK(outer.kind() == ErrorKind::not_found);
  CHECK(outer.hint() == "see `sp job list`");
}

TEST_CASE("value_or_throw passes values through and throws the error", "[util]") {
  sp::Result<int> good = 7;
  CHECK(sp::value_or_throw(good) == 7);
  sp::Result<int> bad = sp::fail(ErrorKind::refused, "doing", "why");
  CHECK_THROWS_AS(sp::value_or_throw(bad), Error);
}
