#include "sp/util/strings.hpp"

#include <catch2/catch.hpp>

using sp::util::edit_distance;
using sp::util::nearest;

TEST_CASE("edit distance counts insertions, deletions and substitutions", "[util]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("job", "job") == 0);
  CHECK(edit_distance("job", "jbo") == 1); // two letters swapped: one slip
  CHECK(edit_distance("strat", "start") == 1);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("job", "jobs") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("nearest suggests a close command and nothing for unrelated words", "[util]") {
  const std::vector<std::string> commands{"init", "version", "job", "cluster", "project"};
  CHECK(nearest("verison", commands) == "version");
  CHECK(nearest("clustr", commands) == "cluster");
  CHECK(nearest("proj", commands) == "project"); // a prefix counts as close
  CHECK_FALSE(nearest("zzzzzz", commands).has_value());
  CHECK_FALSE(nearest("x", std::vector<std::string>{}).has_value());
}
