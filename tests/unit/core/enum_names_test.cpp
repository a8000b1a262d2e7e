// Every enum spelled as text round-trips through its one table: a value left
// out of a table reads back as another value, and this test names it.
#include "sp/core/alert_channel.hpp"
#include "sp/core/build.hpp"
#include "sp/core/cluster.hpp"
#include "sp/core/job.hpp"
#include "sp/core/manifest.hpp"
#include "sp/core/restore.hpp"
#include "sp/core/run_state.hpp"
#include "sp/core/settings.hpp"
#include "sp/core/sql_script.hpp"
#include "sp/util/enum_names.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace sp::core;

namespace {

// from_string(to_string(v)) == v for every value, and no two values share a name.
template <typename Enum, typename FromString>
void round_trips(const std::vector<Enum>& values, FromString from_string) {
  std::set<std::string> names;
  for (const Enum value : values) {
    const std::string name(to_string(value));
    INFO("value " << static_cast<int>(value) << " is spelled '" << name << "'");
    CHECK_FALSE(name.empty());
    CHECK(from_string(name) == value);
    CHECK(names.insert(name).second);
  }
  CHECK_FALSE(from_string("no-such-name").has_value());
  CHECK_FALSE(from_string("").has_value());
}

} // namespace

TEST_CASE("every enum spelled as text round-trips through its table", "[core][enum]") {
  round_trips<ClusterType>({ClusterType::remote, ClusterType::yarn_session, ClusterType::yarn_application,
                            ClusterType::kubernetes_session, ClusterType::kubernetes_application},
                           cluster_type_from_string);
  round_trips<SubmitDriver>({SubmitDriver::rest, SubmitDriver::cli}, submit_driver_from_string);
  round_trips<AlertChannelType>(
      {AlertChannelType::webhook, AlertChannelType::command, AlertChannelType::email},
      alert_channel_type_from_string);
  round_trips<RestorePolicy>({RestorePolicy::latest, RestorePolicy::none}, restore_policy_from_string);
  round_trips<StopMode>({StopMode::savepoint, StopMode::drain, StopMode::cancel}, stop_mode_from_string);
  round_trips<BuildStatus>({BuildStatus::building, BuildStatus::success, BuildStatus::failed},
                           build_status_from_string);
  round_trips<PointKind>({PointKind::checkpoint, PointKind::savepoint, PointKind::stop_savepoint},
                         point_kind_from_string);
  round_trips<CheckpointHealth>({CheckpointHealth::ok, CheckpointHealth::failing, CheckpointHealth::stale},
                                checkpoint_health_from_string);
  round_trips<OutputFormat>({OutputFormat::table, OutputFormat::json, OutputFormat::yaml},
                            output_format_from_string);
  round_trips<ObjectKind>({ObjectKind::environment, ObjectKind::flink, ObjectKind::project,
                           ObjectKind::alert_channel, ObjectKind::cluster, ObjectKind::job},
                          object_kind_from_string);
}

TEST_CASE("names spelled the way YAML and the database have always spelled them", "[core][enum]") {
  CHECK(to_string(ClusterType::yarn_application) == "yarn-application");
  CHECK(to_string(PointKind::stop_savepoint) == "stop-savepoint");
  CHECK(to_string(ObjectKind::alert_channel) == "AlertChannel");
  CHECK(to_string(SqlStatementKind::add_jar) == "ADD JAR");
  CHECK(cluster_type_names() == std::vector<std::string>{"remote", "yarn-session", "yarn-application",
                                                         "kubernetes-session", "kubernetes-application"});
}

TEST_CASE("a value missing from a table reads as the first name, which the round trip catches",
          "[util][enum]") {
  enum class Colour { red, green, blue };
  constexpr sp::util::EnumNames<Colour, 2> names{{{Colour::red, "red"}, {Colour::green, "green"}}};
  static_assert(sp::util::name_of(names, Colour::green) == "green");
  static_assert(sp::util::value_named(names, "red") == Colour::red);
  CHECK(sp::util::name_of(names, Colour::blue) == "red");
  CHECK(sp::util::names_in(names) == std::vector<std::string>{"red", "green"});
}
