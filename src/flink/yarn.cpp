#include "sp/flink/yarn.hpp"

#include "sp/core/run_state.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sp::flink {

namespace {

using nlohmann::json;

// Hadoop writes "N/A" or "" where an address is not known yet.
std::optional<std::string> address_field(const json& app, const char* key) {
  auto it = app.find(key);
  if (it == app.end() || !it->is_string()) return std::nullopt;
  auto value = it->get<std::string>();
  if (value.empty() || value == "N/A") return std::nullopt;
  return value;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// "the application ended: KILLED (final status KILLED): <first line of the diagnostics>"
std::string describe_end(const YarnApplication& application) {
  std::string why = fmt::format("the application ended: {} (final status {})", application.state,
                                application.final_status.empty() ? "unknown" : application.final_status);
  if (!application.diagnostics.empty()) why += ": " + first_line(application.diagnostics);
  return why;
}

} // namespace

bool has_ended(const YarnApplication& application) {
  const auto& state = application.state;
  return state == "FINISHED" || state == "FAILED" || state == "KILLED";
}

std::string describe_waiting(const YarnApplication& application) {
  return fmt::format("YARN application {} is {}: {}", application.id, application.state,
                     application.diagnostics.empty() ? "YARN gives no reason"
                                                     : first_line(application.diagnostics));
}

std::string yarn_application_url(std::string_view resource_manager, std::string_view application_id) {
  while (resource_manager.ends_with('/')) resource_manager.remove_suffix(1);
  return fmt::format("{}/ws/v1/cluster/apps/{}", resource_manager, application_id);
}

std::string yarn_cluster_info_url(std::string_view resource_manager) {
  while (resource_manager.ends_with('/')) resource_manager.remove_suffix(1);
  return fmt::format("{}/ws/v1/cluster/info", resource_manager);
}

Result<YarnApplication> parse_yarn_application(std::string_view body) {
  const std::string doing = "reading the ResourceManager's application report";
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded())
    return fail(ErrorKind::failure, doing, "the ResourceManager sent malformed JSON");
  const auto app = document.is_object() ? document.find("app") : document.end();
  if (!document.is_object() || app == document.end() || !app->is_object()) {
    return fail(ErrorKind::failure, doing, "expected a JSON object with an \"app\" object");
  }
  try {
    YarnApplication application;
    application.id = app->at("id").get<std::string>();
    application.state = app->at("state").get<std::string>();
    application.final_status = app->value("finalStatus", "");
    application.tracking_url = address_field(*app, "trackingUrl");
    application.am_rpc_address = address_field(*app, "amRPCAddress");
    application.am_host_http_address = address_field(*app, "amHostHttpAddress");
    application.diagnostics = app->value("diagnostics", "");
    return application;
  } catch (const json::exception& error) {
    return fail(ErrorKind::failure, doing, std::string("unexpected response shape: ") + error.what());
  }
}

Result<std::string> jobmanager_url_of(const YarnApplication& application, bool https) {
  const std::string doing = "finding the JobManager of YARN application " + application.id;
  if (has_ended(application)) return fail(ErrorKind::external, doing, describe_end(application));
  if (application.state != "RUNNING") {
    return fail(ErrorKind::unreachable, doing,
                "the application is " + application.state + ", not RUNNING yet",
                "YARN has not started its JobManager yet; try again shortly");
  }
  if (application.am_rpc_address) {
    return fmt::format("{}://{}", https ? "https" : "http", *application.am_rpc_address);
  }
  if (application.tracking_url && application.tracking_url->find("/proxy/") == std::string::npos) {
    auto url = *application.tracking_url;
    while (url.ends_with('/')) url.pop_back();
    return url;
  }
  return fail(ErrorKind::external, doing,
              "the ResourceManager reports no amRPCAddress, only its proxy, which refuses the POST requests "
              "of stop and savepoint",
              "a ResourceManager of Hadoop 2.8 or later reports amRPCAddress");
}

std::optional<ApplicationEnd> application_end_of(const YarnApplication& application, bool session) {
  if (!has_ended(application)) return std::nullopt;
  ApplicationEnd end{.run_state = std::string(core::run_state::lost),
                     .why =
                         fmt::format("YARN application {}: {}", application.id, describe_end(application))};
  if (session) return end;
  if (application.state == "FAILED") end.run_state = std::string(core::run_state::failed);
  if (application.state != "FINISHED") return end;
  if (application.final_status == "SUCCEEDED") end.run_state = "FINISHED";
  if (application.final_status == "KILLED") end.run_state = "CANCELED";
  if (application.final_status == "FAILED") end.run_state = std::string(core::run_state::failed);
  return end;
}

} // namespace sp::flink
