#include "sp/flink/cli_driver.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace sp::flink;
using sp::ErrorKind;

namespace {

std::string fixture(const std::string& version, const std::string& name) {
  std::ifstream in(std::string(SP_FIXTURES_DIR) + "/flink-cli/" + version + "/" + name + ".txt",
                   std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& word : argv) text += (text.empty() ? "" : " ") + word;
  return text;
}

CliRunInvocation remote(FlinkVersion version) {
  CliRunInvocation invocation;
  invocation.flink_home = "/opt/flink/";
  invocation.version = version;
  invocation.target_options = {{"rest.address", "jm"}, {"rest.port", "8081"}};
  invocation.jar = "/store/app.jar";
  return invocation;
}

} // namespace

TEST_CASE("a fresh remote submission: detached, target options, the jar, then the program's args",
          "[flink][cli]") {
  auto invocation = remote({2, 2, 1});
  invocation.run.args = {"--name", "-x"};
  CHECK(joined(cli_run_argv(invocation)) ==
        "/opt/flink/bin/flink run -t remote -d -Drest.address=jm -Drest.port=8081 /store/app.jar --name -x");
}

TEST_CASE("a restore spells the claim mode the way each version's CLI honours it", "[flink][cli]") {
  const std::vector<std::pair<FlinkVersion, std::string>> cases{
      {{2, 2, 1}, "-s file:/sp/savepoint-1 --claimMode NO_CLAIM -n"},
      {{1, 20, 5}, "-s file:/sp/savepoint-1 --claimMode NO_CLAIM -n"},
      {{1, 17, 2}, "-s file:/sp/savepoint-1 --restoreMode NO_CLAIM -n"},
      {{1, 14, 6}, "-s file:/sp/savepoint-1 -n"},
  };
  for (const auto& [version, restore] : cases) {
    INFO(version.major << "." << version.minor);
    auto invocation = remote(version);
    invocation.run.savepoint_path = "file:/sp/savepoint-1";
    invocation.run.allow_non_restored_state = true;
    invocation.run.entry_class = "sp.example.Job";
    invocation.run.parallelism = 4;
    CHECK(joined(cli_run_argv(invocation)) == "/opt/flink/bin/flink run -t remote -d -Drest.address=jm "
                                              "-Drest.port=8081 " +
                                                  restore + " -c sp.example.Job -p 4 /store/app.jar");
  }
}

TEST_CASE("allowNonRestoredState means nothing without a restore", "[flink][cli]") {
  auto invocation = remote({1, 20, 5});
  invocation.run.allow_non_restored_state = true;
  CHECK(joined(cli_run_argv(invocation)).find(" -n") == std::string::npos);
}

TEST_CASE("the -D options come from the cluster, then the job, then the target, each key once",
          "[flink][cli]") {
  auto invocation = remote({2, 2, 1});
  invocation.cluster_configuration = {
      {"rest.port", "1"}, {"execution.checkpointing.interval", "1m"}, {"a", "cluster"}};
  invocation.run.flink_configuration = {{"execution.checkpointing.interval", "5s"},
                                        {"env.java.opts", "-Xss4m"}};
  CHECK(joined(cli_run_argv(invocation)) ==
        "/opt/flink/bin/flink run -t remote -d -Da=cluster -Denv.java.opts=-Xss4m "
        "-Dexecution.checkpointing.interval=5s -Drest.address=jm -Drest.port=8081 /store/app.jar");
}

TEST_CASE("application targets: run-application on 1.x, run on 2.x", "[flink][cli]") {
  CliRunInvocation invocation;
  invocation.flink_home = "/f";
  invocation.jar = "local:///opt/app.jar";
  invocation.target = CliTarget::kubernetes_application;
  invocation.target_options = {{"kubernetes.cluster-id", "orders"}};
  invocation.version = {1, 20, 5};
  CHECK(joined(cli_run_argv(invocation)) == "/f/bin/flink run-application -t kubernetes-application -d "
                                            "-Dkubernetes.cluster-id=orders local:///opt/app.jar");
  invocation.version = {2, 2, 1};
  invocation.target = CliTarget::yarn_application;
  CHECK(joined(cli_run_argv(invocation)) ==
        "/f/bin/flink run -t yarn-application -d -Dkubernetes.cluster-id=orders local:///opt/app.jar");
  invocation.version = {1, 20, 5};
  invocation.target = CliTarget::yarn_session;
  CHECK(cli_run_argv(invocation)[1] == "run");
}

TEST_CASE("a JobManager URL becomes rest.address and rest.port", "[flink][cli]") {
  using Options = std::map<std::string, std::string>;
  const std::vector<std::pair<std::string, Options>> good{
      {"http://127.0.0.1:18123", {{"rest.address", "127.0.0.1"}, {"rest.port", "18123"}}},
      {"http://jm.example.com:8081/", {{"rest.address", "jm.example.com"}, {"rest.port", "8081"}}},
      {"http://jm", {{"rest.address", "jm"}, {"rest.port", "80"}}},
      {"https://jm", {{"rest.address", "jm"}, {"rest.port", "443"}, {"security.ssl.rest.enabled", "true"}}},
      {"http://[::1]:8081", {{"rest.address", "::1"}, {"rest.port", "8081"}}},
  };
  for (const auto& [url, options] : good) {
    INFO(url);
    CHECK(remote_target_options(url).value() == options);
  }
  for (const auto* url :
       {"jm:8081", "ftp://jm", "http://:8081", "http://jm:0", "http://jm:http", "http://jm:99999",
        "http://user:pw@jm:8081", "http://gateway/flink/prod", "http://jm:8081?x=1", "http://[::1"}) {
    INFO(url);
    auto options = remote_target_options(url);
    REQUIRE_FALSE(options.has_value());
    CHECK(options.error().kind() == ErrorKind::usage);
  }
}

TEST_CASE("the job id of a real submission, fresh and restoring, on 1.20 and 2.2", "[flink][cli]") {
  for (const auto* version : {"1.20.5", "2.2.1"}) {
    for (const auto* name : {"run-fresh", "run-restore"}) {
      INFO(version << " " << name);
      const auto output = fixture(version, name);
      auto submitted = parse_cli_submission(output, CliTarget::remote);
      REQUIRE(submitted.has_value());
      REQUIRE(submitted->job_id.has_value());
      CHECK(submitted->job_id->size() == 32);
      CHECK(output.find("JobID " + *submitted->job_id) != std::string::npos);
      CHECK_FALSE(submitted->application_id.has_value());
    }
  }
}

TEST_CASE("failed submissions: no job id is exit 6 quoting the last lines without stack frames",
          "[flink][cli]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"missing-savepoint",
       "Cannot find checkpoint or savepoint file/directory 'file:/nonexistent/savepoint-0'"},
      {"fail-at-start", "failing at start on purpose (--fail-at-start)"},
      {"unreachable", "Connection refused"},
  };
  for (const auto* version : {"1.20.5", "2.2.1"}) {
    for (const auto& [name, cause] : cases) {
      INFO(version << " " << name);
      auto submitted = parse_cli_submission(fixture(version, name), CliTarget::remote);
      REQUIRE_FALSE(submitted.has_value());
      CHECK(submitted.error().kind() == ErrorKind::external);
      const std::string message = submitted.error().what();
      CHECK(message.starts_with(
          "reading the output of bin/flink run: bin/flink printed no job id (expected \"Job has "
          "been submitted with JobID <32 hex digits>\"); its last lines:\n  "));
      CHECK(message.find(cause) != std::string::npos);
      CHECK(message.find("\tat ") == std::string::npos);
    }
  }
  auto silent = parse_cli_submission("", CliTarget::remote);
  REQUIRE_FALSE(silent.has_value());
  CHECK(silent.error().why().ends_with("; it printed nothing"));
}

TEST_CASE("a job id must be 32 hex digits", "[flink][cli]") {
  for (const auto* output :
       {"Job has been submitted with JobID 1234\n", "Job has been submitted with JobID \n",
        "Job has been submitted with JobID zz2343e5bdc433465d99a8ca1792bcc2\n"}) {
    INFO(output);
    CHECK_FALSE(parse_cli_submission(output, CliTarget::remote).has_value());
  }
  auto crlf = parse_cli_submission(
      "x\r\nJob has been submitted with JobID 962343e5bdc433465d99a8ca1792bcc2\r\n", CliTarget::yarn_session);
  CHECK(crlf.value().job_id == "962343e5bdc433465d99a8ca1792bcc2");
}

// Not recorded (no YARN or Kubernetes here): the lines are those Flink's
// YarnClusterDescriptor, Hadoop's YarnClientImpl and Flink's
// KubernetesClusterDescriptor log to the console through log4j-cli.properties.
TEST_CASE("application ids of YARN and Kubernetes submissions", "[flink][cli]") {
  const std::string yarn = "2024-01-15 10:30:16,456 INFO  org.apache.flink.yarn.YarnClusterDescriptor - "
                           "Submitting application master "
                           "application_1642234567890_0001\n"
                           "2024-01-15 10:30:16,470 INFO  "
                           "org.apache.hadoop.yarn.client.api.impl.YarnClientImpl - Submitted application "
                           "application_1642234567890_0001\n"
                           "2024-01-15 10:30:18,789 INFO  org.apache.flink.yarn.YarnClusterDescriptor - YARN "
                           "application has been deployed "
                           "successfully.\n";
  auto application = parse_cli_submission(yarn, CliTarget::yarn_application);
  REQUIRE(application.has_value());
  CHECK(application->application_id == "application_1642234567890_0001");
  CHECK_FALSE(application->job_id.has_value()); // the client does not learn it in application mode

  auto session =
      parse_cli_submission("Found Web Interface nm1:36021 of application 'application_1642234567890_0002'.\n"
                           "Job has been submitted with JobID 824af5a31aba88db6e0137f5e834f26b\n",
                           CliTarget::yarn_session);
  REQUIRE(session.has_value());
  CHECK(session->application_id == "application_1642234567890_0002");
  CHECK(session->job_id == "824af5a31aba88db6e0137f5e834f26b");

  auto kubernetes = parse_cli_submission(
      "2024-01-15 10:30:18,789 INFO  org.apache.flink.kubernetes.KubernetesClusterDescriptor - Create flink "
      "application cluster orders-enrich successfully, JobManager Web Interface: http://10.0.0.7:8081\n",
      CliTarget::kubernetes_application);
  REQUIRE(kubernetes.has_value());
  CHECK(kubernetes->application_id == "orders-enrich");

  auto no_application =
      parse_cli_submission("Submitting application master nonsense\n", CliTarget::yarn_application);
  REQUIRE_FALSE(no_application.has_value());
  CHECK(no_application.error().why().starts_with("bin/flink printed no YARN application id"));
  CHECK_FALSE(parse_cli_submission("", CliTarget::kubernetes_application).has_value());
}

TEST_CASE("last output lines skip blanks, rules and stack frames", "[flink][cli]") {
  const std::string output = "one\n\n  two\n\tat a.b.C(C.java:1)\n\t... 9 more\n-----\nthree\r\n   \nfour";
  CHECK(last_output_lines(output, 10) == std::vector<std::string>{"one", "  two", "three", "four"});
  CHECK(last_output_lines(output, 2) == std::vector<std::string>{"three", "four"});
  CHECK(last_output_lines("", 3).empty());
}

TEST_CASE("the ids in the output of each YARN and Kubernetes target, 1.20 and 2.2", "[flink][cli]") {
  struct Case {
    const char* name;
    CliTarget target;
    std::optional<std::string> application_id;
    bool job_id;
  };
  const std::vector<Case> cases{
      {"yarn-application", CliTarget::yarn_application, "application_1700000000000_0007", false},
      {"yarn-session", CliTarget::yarn_session, "application_1700000000000_0003", true},
      {"kubernetes-application", CliTarget::kubernetes_application, "orders-enrich", false},
      {"kubernetes-session", CliTarget::kubernetes_session, std::nullopt, true},
  };
  for (const auto* version : {"1.20.5", "2.2.1"}) {
    for (const auto& test : cases) {
      INFO(version << " " << test.name);
      const auto output = fixture(version, test.name);
      auto submitted = parse_cli_submission(output, test.target);
      REQUIRE(submitted.has_value());
      CHECK(submitted->application_id == test.application_id);
      CHECK(submitted->job_id.has_value() == test.job_id);
    }
  }
}

TEST_CASE("a YARN or Kubernetes submission without its id is exit 6 that says which id", "[flink][cli]") {
  // The output without the lines that carry the ids, as a client logging elsewhere would print it.
  const auto without_ids = [](const std::string& output) {
    std::string kept;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("application_") == std::string::npos && line.find("JobID") == std::string::npos &&
          line.find("Create flink") == std::string::npos) {
        kept += line + "\n";
      }
    }
    return kept;
  };
  for (const auto* version : {"1.20.5", "2.2.1"}) {
    for (const auto& [name, target, missing] : std::vector<std::tuple<std::string, CliTarget, std::string>>{
             {"yarn-application", CliTarget::yarn_application, "YARN application id"},
             {"yarn-session", CliTarget::yarn_session, "job id"},
             {"kubernetes-application", CliTarget::kubernetes_application, "Kubernetes cluster id"},
             {"kubernetes-session", CliTarget::kubernetes_session, "job id"}}) {
      INFO(version << " " << name);
      auto submitted = parse_cli_submission(without_ids(fixture(version, name)), target);
      REQUIRE_FALSE(submitted.has_value());
      CHECK(submitted.error().kind() == ErrorKind::external);
      CHECK(submitted.error().why().starts_with("bin/flink printed no " + missing));
    }
  }
}

TEST_CASE("the target and -D options of each cluster type", "[flink][cli]") {
  sp::core::ClusterSpec cluster;
  cluster.type = sp::core::ClusterType::yarn_session;
  CHECK(cli_target_for(cluster) == CliTarget::remote); // a session known only by url
  cluster.yarn.application_id = "application_1_2";
  CHECK(cli_target_for(cluster) == CliTarget::yarn_session);
  CHECK(deployment_target_options(cluster, CliTarget::yarn_session, "orders", "") ==
        std::map<std::string, std::string>{{"yarn.application.id", "application_1_2"}});
  cluster = {.type = sp::core::ClusterType::yarn_application};
  CHECK(cli_target_for(cluster) == CliTarget::yarn_application);
  CHECK(deployment_target_options(cluster, CliTarget::yarn_application, "orders", "") ==
        std::map<std::string, std::string>{{"yarn.application.name", "orders"}});
  cluster = {.type = sp::core::ClusterType::kubernetes_session};
  CHECK(cli_target_for(cluster) == CliTarget::remote);
  cluster.kubernetes = {.name_space = "streaming", .cluster_id = "session-1"};
  CHECK(cli_target_for(cluster) == CliTarget::kubernetes_session);
  CHECK(deployment_target_options(cluster, CliTarget::kubernetes_session, "orders", "orders") ==
        std::map<std::string, std::string>{{"kubernetes.cluster-id", "session-1"},
                                           {"kubernetes.namespace", "streaming"}});
  cluster.type = sp::core::ClusterType::kubernetes_application;
  CHECK(deployment_target_options(cluster, CliTarget::kubernetes_application, "orders", "orders") ==
        std::map<std::string, std::string>{{"kubernetes.cluster-id", "orders"},
                                           {"kubernetes.namespace", "streaming"}});
}
