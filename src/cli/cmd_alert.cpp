// sp alert test CHANNEL: sends a sample alert through a channel, so a
// webhook, command or mail setup can be checked before an incident needs it.
#include "commands.hpp"
#include "common.hpp"
#include "job_support.hpp"

#include "sp/core/alert.hpp"
#include "sp/ops/alert_delivery.hpp"
#include "sp/store/alert_channels.hpp"
#include "sp/util/system.hpp"

#include "build_info.hpp"

#include <memory>

namespace sp::cli {

namespace {

int run_test(Invocation& invocation, const std::string& name) {
  net::CurlGlobal curl;
  auto database = open_existing_store(invocation);
  const auto channel = store::find_alert_channel(database, name);
  if (!channel) {
    std::vector<std::string> names;
    for (const auto& row : store::list_alert_channels(database)) names.push_back(row.name);
    throw missing_object("testing alert channel " + name, "alert channel", name, names,
                         "alert channels are created with `sp apply` (kind: AlertChannel)");
  }
  const auto context = real_ops_context(invocation, database);
  const auto alert = core::test_alert(context.clock.now_ms(), util::host_name(), build_info::version);
  value_or_throw(ops::deliver_alert(context, name, channel->spec, alert));
  Data data = Data::object();
  data["channel"] = name;
  data["type"] = std::string(core::to_string(channel->spec.type));
  data["kind"] = alert.kind;
  data["delivered"] = true;
  invocation.print({data, {}});
  return 0;
}

} // namespace

void add_alert_command(CLI::App& root, Action& chosen) {
  auto* alert = root.add_subcommand("alert", "alert channels");
  alert->require_subcommand(1);
  auto* test = alert->add_subcommand(
      "test", "send a sample alert (kind test) through a channel; exit 0 when delivered");
  auto channel = std::make_shared<std::string>();
  test->add_option("channel", *channel, "the alert channel")->required()->type_name("NAME");
  test->callback([&chosen, channel] { chosen = [channel](Invocation& i) { return run_test(i, *channel); }; });
}

} // namespace sp::cli
