#include "sp/store/names.hpp"

namespace sp::store {

namespace {

const char* query_for(core::NameKind kind) {
  switch (kind) {
  case core::NameKind::job:
    return "SELECT j.name FROM jobs j JOIN environments e ON e.id = j.environment_id WHERE e.name = ?1 "
           "ORDER BY j.name";
  case core::NameKind::cluster:
    return "SELECT c.name FROM clusters c JOIN environments e ON e.id = c.environment_id WHERE e.name = ?1 "
           "ORDER BY c.name";
  case core::NameKind::variable:
    return "SELECT v.name FROM variables v JOIN environments e ON e.id = v.environment_id WHERE e.name = ?1 "
           "ORDER BY v.name";
  case core::NameKind::project:
    return "SELECT name FROM projects WHERE ?1 IS NOT NULL ORDER BY name";
  case core::NameKind::environment:
    return "SELECT name FROM environments WHERE ?1 IS NOT NULL ORDER BY name";
  case core::NameKind::flink:
    return "SELECT name FROM flinks WHERE ?1 IS NOT NULL ORDER BY name";
  case core::NameKind::alert_channel:
    return "SELECT name FROM alert_channels WHERE ?1 IS NOT NULL ORDER BY name";
  case core::NameKind::none:
    break;
  }
  return nullptr;
}

} // namespace

std::vector<std::string> object_names(Database& database, core::NameKind kind,
                                      const std::string& environment) {
  std::vector<std::string> names;
  const char* sql = query_for(kind);
  if (sql == nullptr) return names;
  auto statement = database.prepare(sql);
  statement.bind(1, environment);
  while (statement.step()) names.push_back(statement.text(0));
  return names;
}

} // namespace sp::store
