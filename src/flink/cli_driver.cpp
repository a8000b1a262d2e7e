#include "sp/flink/cli_driver.hpp"

#include "sp/flink/mapping.hpp"
#include "sp/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace sp::flink {

namespace {

constexpr util::EnumNames<CliTarget, 5> target_names{{
    {CliTarget::remote, "remote"},
    {CliTarget::yarn_session, "yarn-session"},
    {CliTarget::yarn_application, "yarn-application"},
    {CliTarget::kubernetes_session, "kubernetes-session"},
    {CliTarget::kubernetes_application, "kubernetes-application"},
}};

constexpr std::string_view job_id_marker = "Job has been submitted with JobID ";

bool is_hex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The word that follows `marker` on the first line that has it.
std::optional<std::string> word_after(std::string_view output, std::string_view marker) {
  for (auto line : lines_of(output)) {
    const auto at = line.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + marker.size());
    rest = rest.substr(0, rest.find_first_of(" \t,'"));
    if (!rest.empty()) return std::string(rest);
  }
  return std::nullopt;
}

bool is_yarn_application_id(std::string_view id) {
  // application_<cluster timestamp>_<sequence>
  constexpr std::string_view prefix = "application_";
  if (!id.starts_with(prefix)) return false;
  id.remove_prefix(prefix.size());
  const auto underscore = id.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == id.size()) return false;
  const auto digits = [](std::string_view part) {
    return std::ranges::all_of(part, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  };
  return digits(id.substr(0, underscore)) && digits(id.substr(underscore + 1));
}

std::optional<std::string> kubernetes_cluster_id(std::string_view output) {
  // KubernetesClusterDescriptor: "Create flink application cluster <id> successfully, ..."
  for (auto marker : {"Create flink application cluster ", "Create flink session cluster "}) {
    if (auto id = word_after(output, marker)) return id;
  }
  return std::nullopt;
}

std::unexpected<Error> missing(std::string_view what, std::string_view expected, std::string_view output) {
  std::string why = fmt::format("bin/flink printed no {} (expected \"{}\")", what, expected);
  const auto last = last_output_lines(output, 10);
  if (last.empty()) {
    why += "; it printed nothing";
  } else {
    why += "; its last lines:";
    for (const auto& line : last) why += "\n  " + line;
  }
  return fail(ErrorKind::external, "reading the output of bin/flink run", why);
}

// "http://h:8081" → {"http", "h", "8081", rest}; no validation beyond the shape.
struct UrlParts {
  std::string_view scheme, host, port, rest;
};

std::optional<UrlParts> split_url(std::string_view url) {
  const auto colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = url.substr(0, colon);
  std::string_view authority = url.substr(colon + 3);
  const auto end = authority.find_first_of("/?#");
  if (end != std::string_view::npos) {
    parts.rest = authority.substr(end);
    authority = authority.substr(0, end);
  }
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  if (authority.starts_with("[")) { // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parts.host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && !authority.starts_with(":")) return std::nullopt;
    if (!authority.empty()) parts.port = authority.substr(1);
    return parts;
  }
  const auto port = authority.rfind(':');
  parts.host = authority.substr(0, port);
  if (port != std::string_view::npos) parts.port = authority.substr(port + 1);
  return parts;
}

} // namespace

std::optional<std::string> yarn_application_id(std::string_view output) {
  // Flink's YarnClusterDescriptor and Hadoop's YarnClientImpl log these to the console.
  for (auto marker : {"Submitting application master ", "Submitted application ", "of application '"}) {
    if (auto id = word_after(output, marker); id && is_yarn_application_id(*id)) return id;
  }
  return std::nullopt;
}

std::string_view to_string(CliTarget target) { return util::name_of(target_names, target); }

bool is_application_target(CliTarget target) {
  return target == CliTarget::yarn_application || target == CliTarget::kubernetes_application;
}

std::vector<std::string> cli_run_argv(const CliRunInvocation& invocation) {
  std::string program = invocation.flink_home;
  while (program.size() > 1 && program.back() == '/') program.pop_back();
  program += "/bin/flink";
  const bool application_action = is_application_target(invocation.target) && invocation.version.major < 2;
  std::vector<std::string> argv{program, application_action ? "run-application" : "run", "-t",
                                std::string(to_string(invocation.target)), "-d"};

  // Later layers win: a std::map per layer, merged in precedence order.
  std::map<std::string, std::string> options = invocation.cluster_configuration;
  for (const auto& layer : {invocation.run.flink_configuration, invocation.target_options}) {
    for (const auto& [key, value] : layer) options[key] = value;
  }
  // The job id sp chose (SPEC 5.9). Flink's internal option, read by both
  // lines' CLI for every target; a -D of the same key in a layer loses.
  if (invocation.run.job_id) options["$internal.pipeline.job-id"] = *invocation.run.job_id;
  for (const auto& [key, value] : options) argv.push_back(fmt::format("-D{}={}", key, value));

  const auto& run = invocation.run;
  if (run.savepoint_path) {
    argv.insert(argv.end(), {"-s", *run.savepoint_path});
    // NO_CLAIM (SPEC 5.7): the new run never deletes or reuses the files of
    // the point it restored from. The CLI's own option, not a -D: with -s the
    // CLI writes its claim-mode option over any -D of the same setting.
    switch (dialect_for(invocation.version)) {
    case RunDialect::claim_mode:
      argv.insert(argv.end(), {"--claimMode", "NO_CLAIM"});
      break;
    case RunDialect::restore_mode:
      argv.insert(argv.end(), {"--restoreMode", "NO_CLAIM"});
      break;
    case RunDialect::no_restore_mode:
      break;
    }
    if (run.allow_non_restored_state) argv.emplace_back("-n");
  }
  if (run.entry_class) argv.insert(argv.end(), {"-c", *run.entry_class});
  if (run.parallelism) argv.insert(argv.end(), {"-p", std::to_string(*run.parallelism)});
  argv.push_back(invocation.jar);
  // Everything after the jar is the program's own; the CLI stops parsing at the jar.
  argv.insert(argv.end(), run.args.begin(), run.args.end());
  return argv;
}

Result<std::map<std::string, std::string>> remote_target_options(std::string_view rest_url) {
  const std::string doing = "pointing bin/flink at " + std::string(rest_url);
  auto parts = split_url(rest_url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty()) {
    return fail(ErrorKind::usage, doing, "expected http://host[:port] or https://host[:port]");
  }
  if (!parts->rest.empty() && parts->rest != "/") {
    return fail(
        ErrorKind::usage, doing,
        "bin/flink reaches a JobManager by host and port only, so a URL with a path or query cannot be used",
        "use submit: rest for a JobManager behind a path, or give its direct address");
  }
  const bool https = parts->scheme == "https";
  int port = https ? 443 : 80;
  if (!parts->port.empty()) {
    auto [end, error] = std::from_chars(parts->port.data(), parts->port.data() + parts->port.size(), port);
    if (error != std::errc{} || end != parts->port.data() + parts->port.size() || port < 1 || port > 65535) {
      return fail(ErrorKind::usage, doing, "the port is not a number from 1 to 65535");
    }
  }
  std::map<std::string, std::string> options{{"rest.address", std::string(parts->host)},
                                             {"rest.port", std::to_string(port)}};
  // The truststore for https comes from the cluster's flinkConfiguration (Flink reads keystores, not PEM
  // files).
  if (https) options["security.ssl.rest.enabled"] = "true";
  return options;
}

CliTarget cli_target_for(const core::ClusterSpec& cluster) {
  switch (cluster.type) {
  case core::ClusterType::remote:
    return CliTarget::remote;
  case core::ClusterType::yarn_application:
    return CliTarget::yarn_application;
  case core::ClusterType::kubernetes_application:
    return CliTarget::kubernetes_application;
  case core::ClusterType::yarn_session:
    return cluster.yarn.application_id ? CliTarget::yarn_session : CliTarget::remote;
  case core::ClusterType::kubernetes_session:
    return cluster.kubernetes.cluster_id ? CliTarget::kubernetes_session : CliTarget::remote;
  }
  return CliTarget::remote;
}

std::map<std::string, std::string> deployment_target_options(const core::ClusterSpec& cluster,
                                                             CliTarget target, std::string_view job_name,
                                                             std::string_view kubernetes_cluster_id) {
  std::map<std::string, std::string> options;
  switch (target) {
  case CliTarget::remote:
    break;
  case CliTarget::yarn_session:
    if (cluster.yarn.application_id) options["yarn.application.id"] = *cluster.yarn.application_id;
    break;
  case CliTarget::yarn_application:
    options["yarn.application.name"] = std::string(job_name);
    if (cluster.yarn.queue) options["yarn.application.queue"] = *cluster.yarn.queue;
    break;
  case CliTarget::kubernetes_session:
  case CliTarget::kubernetes_application:
    options["kubernetes.cluster-id"] =
        target == CliTarget::kubernetes_session
            ? cluster.kubernetes.cluster_id.value_or(std::string(kubernetes_cluster_id))
            : std::string(kubernetes_cluster_id);
    if (cluster.kubernetes.name_space) options["kubernetes.namespace"] = *cluster.kubernetes.name_space;
    break;
  }
  return options;
}

Result<CliSubmitted> parse_cli_submission(std::string_view output, CliTarget target) {
  CliSubmitted submitted;
  if (auto id = word_after(output, job_id_marker); id && id->size() == 32 && is_hex(*id))
    submitted.job_id = id;
  if (target == CliTarget::yarn_application || target == CliTarget::yarn_session) {
    submitted.application_id = yarn_application_id(output);
  } else if (target == CliTarget::kubernetes_application || target == CliTarget::kubernetes_session) {
    submitted.application_id = kubernetes_cluster_id(output);
  }
  if (!is_application_target(target) && !submitted.job_id) {
    return missing("job id", std::string(job_id_marker) + "<32 hex digits>", output);
  }
  if (target == CliTarget::yarn_application && !submitted.application_id) {
    return missing("YARN application id", "Submitting application master application_<n>_<n>", output);
  }
  if (target == CliTarget::kubernetes_application && !submitted.application_id) {
    return missing("Kubernetes cluster id", "Create flink application cluster <id> successfully", output);
  }
  return submitted;
}

std::vector<std::string> last_output_lines(std::string_view output, std::size_t count) {
  std::vector<std::string> kept;
  for (auto line : lines_of(output)) {
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    if (trimmed.empty()) continue;
    const bool frame = line != trimmed && (trimmed.starts_with("at ") || trimmed.starts_with("... "));
    const bool rule = trimmed.find_first_not_of("-=") == std::string_view::npos;
    if (!frame && !rule) kept.emplace_back(line);
  }
  if (kept.size() > count) kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(count));
  return kept;
}

} // namespace sp::flink
