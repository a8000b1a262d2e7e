#include "sp/core/text_diff.hpp"

#include <catch2/catch.hpp>

using sp::core::unified_line_diff;
using Lines = std::vector<std::string>;

TEST_CASE("equal texts have no diff, and CRLF reads as LF", "[core][diff]") {
  CHECK(unified_line_diff("a\nb\n", "a\nb\n").empty());
  CHECK(unified_line_diff("a\r\nb\r\n", "a\nb").empty());
}

TEST_CASE("a changed line shows with its context in one hunk", "[core][diff]") {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  const std::string after = "1\n2\n3\nfour\n5\n6\n7\n8\n";
  CHECK(unified_line_diff(before, after) == Lines{"@@ -2,5 +2,5 @@", " 2", " 3", "-4", "+four", " 5", " 6"});
}

TEST_CASE("far-apart changes are two hunks, and additions and removals at the ends show", "[core][diff]") {
  const std::string before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
  const std::string after = "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
  CHECK(unified_line_diff(before, after, 1) ==
        Lines{"@@ -1,2 +1,2 @@", "-a", "+A", " b", "@@ -10,1 +10,2 @@", " j", "+k"});
  CHECK(unified_line_diff("", "x\n") == Lines{"@@ -1,0 +1,1 @@", "+x"});
  CHECK(unified_line_diff("x\n", "") == Lines{"@@ -1,1 +1,0 @@", "-x"});
}
