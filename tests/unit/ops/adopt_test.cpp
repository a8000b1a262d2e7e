#include "sp/ops/adopt.hpp"

#include <catch2/catch.hpp>

using sp::flink::JobOverview;
using sp::ops::choose_job_to_adopt;

namespace {
std::vector<JobOverview> cluster_jobs() {
  return {{"a1", "orders", "RUNNING", 1, std::nullopt, 1},
          {"b2", "orders", "CANCELED", 1, 5, 5},
          {"c3", "clicks", "RUNNING", 1, std::nullopt, 1},
          {"d4", "clicks", "RESTARTING", 1, std::nullopt, 1}};
}
} // namespace

TEST_CASE("adopt finds the one alive job of that name, ignoring ended ones", "[ops][adopt]") {
  CHECK(choose_job_to_adopt(cluster_jobs(), "orders", std::nullopt).value().id == "a1");
}

TEST_CASE("adopt refuses an ambiguous name and lists the candidates", "[ops][adopt]") {
  auto chosen = choose_job_to_adopt(cluster_jobs(), "clicks", std::nullopt);
  REQUIRE_FALSE(chosen);
  CHECK(chosen.error().kind() == sp::ErrorKind::refused);
  CHECK(chosen.error().why().find("c3") != std::string::npos);
  CHECK(chosen.error().why().find("d4") != std::string::npos);
  CHECK(choose_job_to_adopt(cluster_jobs(), "clicks", std::string("d4")).value().id == "d4");
}

TEST_CASE("adopt by id refuses an ended job and reports an unknown one", "[ops][adopt]") {
  auto ended = choose_job_to_adopt(cluster_jobs(), "orders", std::string("b2"));
  REQUIRE_FALSE(ended);
  CHECK(ended.error().kind() == sp::ErrorKind::refused);
  auto unknown = choose_job_to_adopt(cluster_jobs(), "orders", std::string("zz"));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind() == sp::ErrorKind::not_found);
  CHECK(choose_job_to_adopt(cluster_jobs(), "payments", std::nullopt).error().kind() ==
        sp::ErrorKind::not_found);
}
