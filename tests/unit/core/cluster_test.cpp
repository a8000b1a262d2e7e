#include "sp/core/cluster.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::core;

TEST_CASE("a Kubernetes JobManager address: Flink's rest service by default, or a template",
          "[core][cluster]") {
  KubernetesSettings settings;
  CHECK(kubernetes_rest_address(settings, "orders").value() == "http://orders-rest.default:8081");
  settings.name_space = "streaming";
  CHECK(kubernetes_rest_address(settings, "orders").value() == "http://orders-rest.streaming:8081");
  settings.rest_address = "https://{clusterId}.{namespace}.flink.example.com/";
  CHECK(kubernetes_rest_address(settings, "orders").value() == "https://orders.streaming.flink.example.com/");
  settings.rest_address = "http://jm.example.com:8081";
  CHECK(kubernetes_rest_address(settings, "orders").value() == "http://jm.example.com:8081");
}

TEST_CASE("a Kubernetes address template with an unknown or open placeholder is a usage error",
          "[core][cluster]") {
  KubernetesSettings settings;
  for (const auto& [pattern, why] : std::vector<std::pair<std::string, std::string>>{
           {"http://{cluster}-rest:8081", "unknown placeholder {cluster}"},
           {"http://{clusterId-rest:8081", "a '{' is not closed"},
           {"http://{}:8081", "unknown placeholder {}"}}) {
    settings.rest_address = pattern;
    auto address = kubernetes_rest_address(settings, "orders");
    INFO(pattern);
    REQUIRE_FALSE(address.has_value());
    CHECK(address.error().kind() == ErrorKind::usage);
    CHECK(address.error().why() == why);
  }
}

TEST_CASE("Kubernetes application cluster ids are DNS labels of at most 45 characters", "[core][cluster]") {
  CHECK(kubernetes_cluster_id_for("orders-enrich") == "orders-enrich");
  CHECK(kubernetes_cluster_id_for("Orders_Enrich.v2") == "orders-enrich-v2");
  CHECK(kubernetes_cluster_id_for("9lives") == "sp-9lives");
  const auto id = kubernetes_cluster_id_for(std::string(60, 'a'));
  CHECK(id.size() == 45);
  CHECK(kubernetes_cluster_id_for("a" + std::string(43, 'b') + "-c") == "a" + std::string(43, 'b'));
}

TEST_CASE("a YARN application restarted without high availability is warned about", "[core][cluster]") {
  using core::ClusterType;
  const std::map<std::string, std::string> none;
  // Flink's default is one attempt without high availability: nothing to say.
  CHECK_FALSE(core::yarn_attempts_warning(ClusterType::yarn_application, none, none));
  const std::map<std::string, std::string> two{{"yarn.application-attempts", "2"}};
  auto warning = core::yarn_attempts_warning(ClusterType::yarn_application, two, none);
  REQUIRE(warning);
  CHECK_THAT(*warning, Catch::Contains("yarn.application-attempts is 2 without high availability"));
  // The job's setting wins over the cluster's.
  CHECK_FALSE(
      core::yarn_attempts_warning(ClusterType::yarn_application, two, {{"yarn.application-attempts", "1"}}));
  CHECK(core::yarn_attempts_warning(ClusterType::yarn_application, none, two));
  // High availability (either key) makes a new attempt restore the newest checkpoint.
  CHECK_FALSE(core::yarn_attempts_warning(ClusterType::yarn_application, two,
                                          {{"high-availability.type", "zookeeper"}}));
  CHECK_FALSE(
      core::yarn_attempts_warning(ClusterType::yarn_application, two, {{"high-availability", "ZOOKEEPER"}}));
  CHECK(
      core::yarn_attempts_warning(ClusterType::yarn_application, two, {{"high-availability.type", "NONE"}}));
  // A session's attempts are the session's, not the job's.
  CHECK_FALSE(core::yarn_attempts_warning(ClusterType::yarn_session, two, none));
}
