#include "sp/core/project.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sp::core;

TEST_CASE("build command values are split into words without a shell", "[core][project]") {
  using Words = std::vector<std::string>;
  CHECK(split_build_command({"mvn", "package"}).value() == Words{"mvn", "package"});
  CHECK(split_build_command({"mvn -B  clean package -DskipTests"}).value() ==
        Words{"mvn", "-B", "clean", "package", "-DskipTests"});
  CHECK(split_build_command({"sh -c 'echo $HOME | tr a b'"}).value() ==
        Words{"sh", "-c", "echo $HOME | tr a b"});
  CHECK(split_build_command({R"(echo "a \"b\"" c\ d '')"}).value() == Words{"echo", "a \"b\"", "c d", ""});
  CHECK(split_build_command({}).value().empty());
  auto unbalanced = split_build_command({"echo 'oops"});
  REQUIRE_FALSE(unbalanced.has_value());
  CHECK(unbalanced.error().kind() == sp::ErrorKind::usage);
}

TEST_CASE("project names are safe directory names", "[core][project]") {
  for (const char* good : {"orders", "orders-enrich", "a.b_c-1", "X"})
    CHECK(validate_project_name(good).has_value());
  for (const char* bad : {"", "1abc", "../x", "a/b", ".hidden", "a b", "-x"}) {
    INFO(bad);
    CHECK_FALSE(validate_project_name(bad).has_value());
  }
  CHECK_FALSE(validate_project_name(std::string(101, 'a')).has_value());
}

TEST_CASE("a project spec must stay inside its repository and have a positive timeout", "[core][project]") {
  ProjectSpec spec;
  spec.url = "/srv/git/orders.git";
  CHECK(validate(spec).has_value());
  for (const char* subdir : {"/abs", "..", "a/../../b", "a/.."}) {
    spec.subdir = subdir;
    INFO(subdir);
    CHECK_FALSE(validate(spec).has_value());
  }
  spec.subdir = "jobs/orders..v2";
  CHECK(validate(spec).has_value());
  spec.timeout = std::chrono::seconds(0);
  CHECK_FALSE(validate(spec).has_value());
}

TEST_CASE("a project spec survives its JSON form", "[core][project]") {
  ProjectSpec spec;
  spec.url = "https://git.example.com/orders.git";
  spec.ref = "v1.2";
  spec.subdir = "job";
  spec.build = {"mvn", "-B", "package"};
  spec.artifact = "target/*-all.jar";
  spec.timeout = std::chrono::seconds(120);
  spec.auth.token_env = "GIT_TOKEN";
  auto back = project_spec_from_json(nlohmann::json::parse(to_json(spec).dump()));
  REQUIRE(back.has_value());
  CHECK(*back == spec);
}
