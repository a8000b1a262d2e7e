#include "sp/util/glob.hpp"

#include <catch2/catch.hpp>

using sp::util::glob_match;

TEST_CASE("glob patterns match relative paths", "[util][glob]") {
  struct Case {
    const char* pattern;
    const char* path;
    bool matches;
  };
  const std::vector<Case> cases{
      {"target/*.jar", "target/app.jar", true},
      {"target/*.jar", "target/sub/app.jar", false},
      {"target/*.jar", "other/app.jar", false},
      {"*.jar", "target/app.jar", false},
      {"**/*.jar", "target/app.jar", true},
      {"**/*.jar", "app.jar", true},
      {"**/*.jar", "a/b/c/app.jar", true},
      {"target/**", "target/a/b", true},
      {"target/app-?.jar", "target/app-1.jar", true},
      {"target/app-?.jar", "target/app-12.jar", false},
      {"target/app-[0-9].jar", "target/app-7.jar", true},
      {"target/app-[!0-9].jar", "target/app-7.jar", false},
      {"target/app-[!0-9].jar", "target/app-x.jar", true},
      {"target/*-all.jar", "target/orders-1.0-all.jar", true},
      {"a[b", "a[b", true},
      {"", "", true},
      {"", "x", false},
      {"*", "", true},
      {"target/*", "target/", true},
  };
  for (const auto& c : cases) {
    INFO(c.pattern << " vs " << c.path);
    CHECK(glob_match(c.pattern, c.path) == c.matches);
  }
}
