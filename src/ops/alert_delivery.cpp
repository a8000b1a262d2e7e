#include "sp/ops/alert_delivery.hpp"

#include "sp/core/mail.hpp"
#include "sp/flink/cli_driver.hpp"
#include "sp/util/redact.hpp"
#include "sp/util/time.hpp"

#include "build_info.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

// A webhook that has not answered within these is treated as down; the
// watch loop waits for delivery, so a slow receiver must not hold it long.
constexpr net::Timeouts webhook_timeouts{5s, 10s};
constexpr std::array<std::chrono::milliseconds, 2> webhook_pauses{1s, 2s}; // between the 3 tries
constexpr std::chrono::milliseconds command_timeout = 30s;
constexpr std::size_t max_command_output = std::size_t{64} * 1024;
constexpr net::Timeouts mail_timeouts{10s, 60s};

net::TransportSettings settings_with(net::Timeouts timeouts) {
  net::TransportSettings settings;
  settings.timeouts = timeouts;
  settings.user_agent = std::string("sp/") + build_info::version;
  return settings;
}

// A variable the channel names; unset is a precondition the user must fix.
Result<std::optional<std::string>> variable(const OpsContext& context, const std::optional<std::string>& name,
                                            const std::string& field) {
  if (!name) return std::nullopt;
  auto value = context.env ? context.env(*name) : std::nullopt;
  if (!value) {
    return fail(ErrorKind::refused, "reading the channel's " + field,
                "environment variable " + *name + " is not set", "set it in the environment sp runs in");
  }
  return value;
}

// The start of a receiver's answer, safe to print on a terminal.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return line.empty() ? "an empty body" : "'" + line + "'";
}

bool worth_retrying(long status) { return status == 429 || status >= 500; }

Result<void> deliver_webhook(const OpsContext& context, const core::AlertChannelSpec& channel,
                             const core::Alert& alert) {
  if (!channel.url) return fail(ErrorKind::usage, "posting to the webhook", "the channel has no url");
  const std::string doing = "posting to " + util::url_origin(*channel.url);
  auto authorization = variable(context, channel.header_env, "headerEnv");
  if (!authorization) return std::unexpected(authorization.error());
  auto transport = context.make_transport(settings_with(webhook_timeouts));
  net::HttpRequest request;
  request.method = "POST";
  request.url = *channel.url;
  request.body = core::alert_document(alert).dump();
  request.authorization = *authorization;

  std::optional<Error> last;
  for (std::size_t attempt = 0; attempt <= webhook_pauses.size(); ++attempt) {
    if (attempt > 0) {
      if (context.progress) {
        context.progress(fmt::format("{}: {}; trying again in {}", last->doing(), last->why(),
                                     util::format_duration(webhook_pauses[attempt - 1])));
      }
      context.clock.sleep(webhook_pauses[attempt - 1]);
    }
    auto response = transport->send(request);
    if (!response) {
      // The transport's `why` is libcurl's text (host and port at most); its
      // `doing` has the full URL, which is left out on purpose.
      last = Error(ErrorKind::unreachable, doing, response.error().why());
      continue;
    }
    if (response->status >= 200 && response->status < 300) return {};
    Error refused(
        ErrorKind::external, doing,
        fmt::format("the server answered HTTP {} with {}", response->status, first_line(response->body)));
    if (!worth_retrying(response->status)) return std::unexpected(std::move(refused));
    last = std::move(refused);
  }
  return fail(last->kind(), last->doing(),
              fmt::format("{} (tried {} times)", last->why(), webhook_pauses.size() + 1));
}

std::string last_lines_text(std::string_view output) {
  const auto lines = flink::last_output_lines(output, 5);
  if (lines.empty()) return "it printed nothing";
  std::string text = "its last lines:";
  for (const auto& line : lines) text += "\n  " + line;
  return text;
}

Result<void> deliver_to_command(const OpsContext& context, const core::AlertChannelSpec& channel,
                                const core::Alert& alert) {
  if (channel.argv.empty() || channel.argv.front().empty()) {
    return fail(ErrorKind::usage, "running the alert command", "the channel has no argv");
  }
  // The argv stays unprinted past the program: its arguments may hold tokens.
  const std::string doing = "running " + channel.argv.front();
  std::error_code ignored;
  auto directory = std::filesystem::current_path(ignored);
  std::string output;
  build::ProcessRequest request;
  request.argv = channel.argv;
  request.working_directory = directory.empty() ? std::filesystem::path("/") : directory;
  request.timeout = command_timeout;
  request.kill_grace = 2s;
  request.input = core::alert_document(alert).dump() + "\n";
  request.on_output = [&output](std::string_view chunk) {
    if (output.size() < max_command_output)
      output.append(chunk.substr(0, max_command_output - output.size()));
  };
  auto runner = context.make_process_runner ? context.make_process_runner() : build::make_process_runner();
  auto ran = runner->run(request);
  if (!ran) return std::unexpected(ran.error());
  if (ran->ending == build::ProcessResult::Ending::interrupted) {
    return fail(ErrorKind::interrupted, doing, "interrupted; the command was ended");
  }
  if (ran->ending != build::ProcessResult::Ending::exited || ran->exit_code != 0) {
    return fail(ErrorKind::external, doing,
                fmt::format("it {}; {}", build::describe(*ran, command_timeout), last_lines_text(output)));
  }
  return {};
}

Result<void> deliver_email(const OpsContext& context, const core::AlertChannelSpec& channel,
                           const core::Alert& alert) {
  if (!channel.smtp_url || !channel.from || channel.to.empty()) {
    return fail(ErrorKind::usage, "sending the alert email", "the channel needs smtpUrl, from and to");
  }
  auto user = variable(context, channel.user_env, "userEnv");
  if (!user) return std::unexpected(user.error());
  auto password = variable(context, channel.password_env, "passwordEnv");
  if (!password) return std::unexpected(password.error());

  net::MailRequest request;
  request.url = *channel.smtp_url;
  request.user = *user;
  request.password = *password;
  auto from = core::envelope_address(*channel.from);
  if (!from) return std::unexpected(from.error());
  request.envelope_from = *from;
  for (const auto& to : channel.to) {
    auto address = core::envelope_address(to);
    if (!address) return std::unexpected(address.error());
    request.recipients.push_back(*address);
  }
  auto message = core::compose_mail({.from = *channel.from,
                                     .to = channel.to,
                                     .subject = core::alert_subject(alert),
                                     .body = core::alert_text(alert),
                                     .date_ms = alert.time_ms,
                                     .message_id = core::alert_message_id(alert)});
  if (!message) return std::unexpected(message.error());
  request.message = std::move(*message);

  const auto settings = settings_with(mail_timeouts);
  auto transport = context.make_mail_transport ? context.make_mail_transport(settings)
                                               : net::make_curl_mail_transport(settings);
  return transport->send(request);
}

} // namespace

Result<void> deliver_alert(const OpsContext& context, const std::string& channel_name,
                           const core::AlertChannelSpec& channel, const core::Alert& alert) {
  Result<void> delivered;
  switch (channel.type) {
  case core::AlertChannelType::webhook:
    delivered = deliver_webhook(context, channel, alert);
    break;
  case core::AlertChannelType::command:
    delivered = deliver_to_command(context, channel, alert);
    break;
  case core::AlertChannelType::email:
    delivered = deliver_email(context, channel, alert);
    break;
  }
  if (!delivered) {
    return std::unexpected(
        delivered.error().within(fmt::format("delivering alert {} to channel {}", alert.kind, channel_name)));
  }
  return {};
}

} // namespace sp::ops
