// What a command receives when it runs: the resolved settings and the
// streams. Commands open the store, the network and so on themselves, through
// the helpers below, so that cheap commands (version) stay cheap.
#pragma once

#include "sp/cli/output.hpp"
#include "sp/cli/progress.hpp"
#include "sp/core/settings.hpp"
#include "sp/store/database.hpp"
#include "sp/store/store.hpp"
#include "sp/util/env.hpp"

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace sp::cli {

struct Invocation {
  core::Settings settings;
  bool quiet = false;
  bool verbose = false;
  bool assume_yes = false;
  bool progress = false; // stderr is a terminal and not --quiet
  util::EnvLookup env;
  std::ostream& out;
  std::ostream& err;
  // The progress line on stderr (drawn only when `progress`); results and
  // notes end it first, so they never share its line.
  std::shared_ptr<ProgressDisplay> display;

  store::HomeLayout home() const { return {settings.home}; }
  void print(const View& view) const;
  // A diagnostic line on stderr, unless --quiet.
  void note(const std::string& line) const;
  // A warning on stderr, shown even with --quiet.
  void warn(const std::string& line) const;
};

// A command's body: runs after parsing, returns the exit code; errors are thrown as sp::Error.
using Action = std::function<int(Invocation&)>;

// Opens the database for a command that needs it to exist (none is not_found:
// run `sp init`). Migrated like any open, so the command may also write.
store::Database open_existing_store(const Invocation& invocation);
// Opens the database for a command that changes state (creates SP_HOME when missing).
store::Database open_store_for_writing(const Invocation& invocation);

} // namespace sp::cli
