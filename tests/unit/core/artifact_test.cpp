#include "sp/core/artifact.hpp"

#include <catch2/catch.hpp>

using sp::core::choose_artifact;
using sp::core::FileEntry;

TEST_CASE("the default artifact is the largest plain jar in target/", "[core][artifact]") {
  const std::vector<FileEntry> files{
      {"pom.xml", 5000},
      {"target/original-orders-1.0.jar", 900},
      {"target/orders-1.0-sources.jar", 800},
      {"target/orders-1.0-javadoc.jar", 700},
      {"target/orders-1.0-tests.jar", 600},
      {"target/orders-1.0.jar", 500},
      {"target/orders-1.0-thin.jar", 100},
      {"target/classes/nested.jar", 10'000},
      {"lib/big.jar", 99'999},
  };
  auto chosen = choose_artifact(files, std::nullopt);
  REQUIRE(chosen.has_value());
  CHECK(chosen->path == "target/orders-1.0.jar");
  CHECK(chosen->size == 500);
}

TEST_CASE("ties between jars of equal size go to the first path", "[core][artifact]") {
  const std::vector<FileEntry> files{{"target/b.jar", 10}, {"target/a.jar", 10}};
  CHECK(choose_artifact(files, std::nullopt)->path == "target/a.jar");
}

TEST_CASE("a project glob replaces the default rule", "[core][artifact]") {
  const std::vector<FileEntry> files{
      {"target/orders-1.0.jar", 500},
      {"target/orders-1.0-all.jar", 300},
      {"dist/orders.zip", 50},
  };
  CHECK(choose_artifact(files, std::string("target/*-all.jar"))->path == "target/orders-1.0-all.jar");
  CHECK(choose_artifact(files, std::string("dist/*"))->path == "dist/orders.zip");
  // A glob may name a jar the default rule would skip.
  const std::vector<FileEntry> shaded{{"target/original-x.jar", 1}};
  CHECK(choose_artifact(shaded, std::string("target/original-*.jar"))->path == "target/original-x.jar");
}

TEST_CASE("no matching artifact is an external error naming what was seen", "[core][artifact]") {
  const std::vector<FileEntry> only_secondary{{"target/x-sources.jar", 1}, {"target/original-x.jar", 2}};
  auto none = choose_artifact(only_secondary, std::nullopt);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().kind() == sp::ErrorKind::external);
  CHECK(std::string(none.error().what()).find("target/x-sources.jar") != std::string::npos);

  auto glob = choose_artifact(only_secondary, std::string("build/*.jar"));
  REQUIRE_FALSE(glob.has_value());
  CHECK(std::string(glob.error().what()).find("build/*.jar") != std::string::npos);

  auto empty = choose_artifact({}, std::nullopt);
  REQUIRE_FALSE(empty.has_value());
  CHECK(std::string(empty.error().what()).find("no jar at all") != std::string::npos);
}
