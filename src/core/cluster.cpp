#include "sp/core/cluster.hpp"

#include "sp/util/enum_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace sp::core {

namespace {

constexpr util::EnumNames<ClusterType, 5> type_names{{
    {ClusterType::remote, "remote"},
    {ClusterType::yarn_session, "yarn-session"},
    {ClusterType::yarn_application, "yarn-application"},
    {ClusterType::kubernetes_session, "kubernetes-session"},
    {ClusterType::kubernetes_application, "kubernetes-application"},
}};

constexpr util::EnumNames<SubmitDriver, 2> driver_names{{
    {SubmitDriver::rest, "rest"},
    {SubmitDriver::cli, "cli"},
}};

void put(nlohmann::ordered_json& json, const char* key, const std::optional<std::string>& value) {
  if (value) json[key] = *value;
}

} // namespace

std::string_view to_string(ClusterType type) { return util::name_of(type_names, type); }

std::optional<ClusterType> cluster_type_from_string(std::string_view text) {
  return util::value_named(type_names, text);
}

const std::vector<std::string>& cluster_type_names() {
  static const std::vector<std::string> names = util::names_in(type_names);
  return names;
}

bool is_application_mode(ClusterType type) {
  return type == ClusterType::yarn_application || type == ClusterType::kubernetes_application;
}

std::optional<std::string>
yarn_attempts_warning(ClusterType type, const std::map<std::string, std::string>& cluster_configuration,
                      const std::map<std::string, std::string>& job_configuration) {
  if (type != ClusterType::yarn_application) return std::nullopt;
  const auto setting = [&](const std::string& key) -> std::optional<std::string> {
    if (auto found = job_configuration.find(key); found != job_configuration.end()) return found->second;
    if (auto found = cluster_configuration.find(key); found != cluster_configuration.end())
      return found->second;
    return std::nullopt;
  };
  const auto attempts_text = setting("yarn.application-attempts");
  int attempts = 1; // Flink's default without high availability
  if (attempts_text)
    std::from_chars(attempts_text->data(), attempts_text->data() + attempts_text->size(), attempts);
  if (attempts <= 1) return std::nullopt;
  // "high-availability.type" since 1.17; "high-availability" before it.
  auto ha = setting("high-availability.type");
  if (!ha) ha = setting("high-availability");
  const auto is_none = [](std::string text) {
    std::ranges::transform(text, text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text == "none";
  };
  if (ha && !is_none(*ha)) return std::nullopt;
  return fmt::format(
      "yarn.application-attempts is {} without high availability: a second attempt restarts the "
      "job from the state it was submitted with, not from its newest checkpoint",
      attempts);
}

std::string_view to_string(SubmitDriver driver) { return util::name_of(driver_names, driver); }

std::optional<SubmitDriver> submit_driver_from_string(std::string_view text) {
  return util::value_named(driver_names, text);
}

SubmitDriver default_submit_driver(ClusterType type) {
  return is_application_mode(type) ? SubmitDriver::cli : SubmitDriver::rest;
}

SubmitDriver submit_driver_of(const ClusterSpec& spec) {
  return spec.submit.value_or(default_submit_driver(spec.type));
}

nlohmann::ordered_json to_json(const ClusterSpec& spec) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["type"] = std::string(to_string(spec.type));
  put(json, "url", spec.url);
  put(json, "flink", spec.flink);
  if (spec.submit) json["submit"] = std::string(to_string(*spec.submit));
  put(json, "savepointDir", spec.savepoint_dir);
  if (spec.state_root) json["state"] = {{"root", *spec.state_root}};
  if (!spec.flink_configuration.empty()) json["flinkConfiguration"] = spec.flink_configuration;
  nlohmann::ordered_json yarn = nlohmann::ordered_json::object();
  put(yarn, "resourceManager", spec.yarn.resource_manager);
  put(yarn, "applicationId", spec.yarn.application_id);
  put(yarn, "queue", spec.yarn.queue);
  if (!yarn.empty()) json["yarn"] = std::move(yarn);
  nlohmann::ordered_json kubernetes = nlohmann::ordered_json::object();
  put(kubernetes, "namespace", spec.kubernetes.name_space);
  put(kubernetes, "clusterId", spec.kubernetes.cluster_id);
  put(kubernetes, "restAddress", spec.kubernetes.rest_address);
  if (!kubernetes.empty()) json["kubernetes"] = std::move(kubernetes);
  if (spec.auth.header_env) json["auth"] = {{"headerEnv", *spec.auth.header_env}};
  if (spec.tls.ca_file || spec.tls.insecure) {
    nlohmann::ordered_json tls = nlohmann::ordered_json::object();
    put(tls, "caFile", spec.tls.ca_file);
    tls["insecure"] = spec.tls.insecure;
    json["tls"] = std::move(tls);
  }
  nlohmann::ordered_json storage = nlohmann::ordered_json::object();
  if (const auto& hdfs = spec.storage.hdfs) {
    nlohmann::ordered_json settings{{"webhdfs", hdfs->webhdfs}};
    put(settings, "user", hdfs->user);
    storage["hdfs"] = std::move(settings);
  }
  if (const auto& s3 = spec.storage.s3) {
    nlohmann::ordered_json settings{{"endpoint", s3->endpoint},
                                    {"region", s3->region},
                                    {"pathStyle", s3->path_style},
                                    {"accessKeyEnv", s3->access_key_env},
                                    {"secretKeyEnv", s3->secret_key_env}};
    put(settings, "sessionTokenEnv", s3->session_token_env);
    storage["s3"] = std::move(settings);
  }
  if (!storage.empty()) json["storage"] = std::move(storage);
  return json;
}

Result<std::string> kubernetes_rest_address(const KubernetesSettings& settings, std::string_view cluster_id) {
  const std::string_view pattern =
      settings.rest_address ? std::string_view(*settings.rest_address) : default_kubernetes_rest_address;
  const std::string_view name_space =
      settings.name_space ? std::string_view(*settings.name_space) : "default";
  std::string address;
  for (std::size_t at = 0; at < pattern.size();) {
    const auto open = pattern.find('{', at);
    address += pattern.substr(at, open - at);
    if (open == std::string_view::npos) break;
    const auto close = pattern.find('}', open);
    const auto name = pattern.substr(open + 1, close == std::string_view::npos ? close : close - open - 1);
    if (close != std::string_view::npos && name == "clusterId") {
      address += cluster_id;
    } else if (close != std::string_view::npos && name == "namespace") {
      address += name_space;
    } else {
      return fail(ErrorKind::usage, fmt::format("reading kubernetes.restAddress \"{}\"", pattern),
                  close == std::string_view::npos ? "a '{' is not closed"
                                                  : fmt::format("unknown placeholder {{{}}}", name),
                  "the placeholders are {clusterId} and {namespace}");
    }
    at = close + 1;
  }
  return address;
}

std::string kubernetes_cluster_id_for(std::string_view job_name) {
  std::string id;
  for (const char c : job_name) {
    const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    id += keep ? lower : '-';
  }
  if (id.empty() || id.front() < 'a' || id.front() > 'z') id.insert(0, "sp-");
  if (id.size() > 45) id.resize(45);
  while (id.back() == '-') id.pop_back();
  return id;
}

} // namespace sp::core
