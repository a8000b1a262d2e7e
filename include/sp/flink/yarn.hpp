// The YARN ResourceManager's view of a Flink application (SPEC 9): where its
// JobManager's REST API is. Pure: the JSON of `GET {rm}/ws/v1/cluster/apps/{id}`
// (Hadoop's Cluster Application API) in, a decision out; ops makes the call.
#pragma once

#include "sp/util/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sp::flink {

// The fields of the `app` object sp reads.
struct YarnApplication {
  std::string id;
  std::string state;        // NEW, NEW_SAVING, SUBMITTED, ACCEPTED, RUNNING, FINISHED, FAILED, KILLED
  std::string final_status; // UNDEFINED while running; SUCCEEDED, FAILED, KILLED at the end
  std::optional<std::string> tracking_url;         // usually the ResourceManager's proxy
  std::optional<std::string> am_rpc_address;       // host:port the AM registered: Flink's REST endpoint
  std::optional<std::string> am_host_http_address; // the NodeManager's web address
  std::string diagnostics;
};

// The URL of an application on the ResourceManager; a trailing '/' of `resource_manager` is dropped.
std::string yarn_application_url(std::string_view resource_manager, std::string_view application_id);
// {rm}/ws/v1/cluster/info: whether the ResourceManager is up; the same trimming.
std::string yarn_cluster_info_url(std::string_view resource_manager);

// Reads `{"app": {...}}`. Malformed JSON or another shape: failure (exit 1).
Result<YarnApplication> parse_yarn_application(std::string_view body);

// Where the application's JobManager REST API is, decided from its state:
// RUNNING → http(s)://amRPCAddress (Flink registers its REST address as the
// AM's host and RPC port), else a trackingUrl that is not the
// ResourceManager's /proxy/ (the proxy refuses POST, so stop and savepoint
// could not go through it); before RUNNING → unreachable (exit 5: retry);
// FINISHED, FAILED, KILLED → external (exit 6), naming the final status and
// Flink's diagnostics.
Result<std::string> jobmanager_url_of(const YarnApplication& application, bool https);

// FINISHED, FAILED or KILLED: YARN will not run it again.
bool has_ended(const YarnApplication& application);

// "YARN application <id> is ACCEPTED: <first line of YARN's diagnostics>",
// for an application YARN keeps waiting.
std::string describe_waiting(const YarnApplication& application);

// How the Flink jobs of an application YARN says has ended end too.
struct ApplicationEnd {
  std::string run_state; // a core::run_state name or Flink's terminal JobStatus
  std::string why;       // "the YARN application ... ended: KILLED (final status KILLED): <diagnostics>"
};

// nullopt while the application lives (NEW to RUNNING). The one job of a
// yarn-application ends as the final status Flink gave YARN says: SUCCEEDED
// -> FINISHED, KILLED -> CANCELED, FAILED -> FAILED. An application that
// YARN ended itself (state KILLED: `yarn application -kill`; state FAILED:
// its attempts used up) never told Flink's verdict: LOST, or FAILED when
// its attempts failed. The jobs of a session end LOST whatever its end: the
// session's final status says nothing of them.
std::optional<ApplicationEnd> application_end_of(const YarnApplication& application, bool session);

} // namespace sp::flink
