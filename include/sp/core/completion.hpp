// Shell completion, decided over a plain description of the command tree so
// the shell scripts stay thin and can never fall behind the commands: they
// pass the words typed so far to `sp __complete`, which walks this tree.
// Pure: object names come from a callback the caller backs with the database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sp::core {

struct CommandOption {
  std::vector<std::string> names; // "--restore", "-o", ...
  bool takes_value = false;
  std::string help;
};

struct Positional {
  std::string name;     // CLI11's name of the argument: "job", "name", ...
  bool repeats = false; // takes several words (`sp check [JOB...]`)
};

struct CommandNode {
  std::string name;
  std::string help;
  std::vector<CommandOption> options;
  std::vector<Positional> positionals; // in order
  std::vector<CommandNode> children;
};

// Which names a word can take from the database.
enum class NameKind { none, job, cluster, project, environment, variable, flink, alert_channel };

// The global --home and --env seen among the words, so names come from the
// SP_HOME and environment the command will act on.
struct GlobalWords {
  std::optional<std::string> home;
  std::optional<std::string> environment;
};

using NameSource = std::function<std::vector<std::string>(NameKind, const GlobalWords&)>;

struct Candidate {
  std::string word;
  std::string help;
  bool operator==(const Candidate&) const = default;
};

enum class PathHint { none, files, directories };

struct Completion {
  std::vector<Candidate> candidates; // already filtered by the word being completed
  PathHint paths = PathHint::none;   // the shell should offer paths as well
};

// Completes the last of `words` (the words after `sp`; the last one is the
// word under the cursor and may be empty). Subcommands are offered where a
// command has them, options when the word starts with '-', fixed choices and
// object names for values and positional arguments.
Completion complete(const CommandNode& root, const std::vector<std::string>& words, const NameSource& names);

// The completion protocol between `sp __complete` and the shell scripts: one
// candidate a line as `word<TAB>help`, then `:files` or `:dirs` when paths fit too.
std::string format_completion(const Completion& completion);

// Every command path ("job start") with its option names, in tree order, for
// the checks that the man page and completions cover everything. Lines are
// the path alone, then "path --flag" for each option (the root's path is empty).
std::vector<std::string> list_commands(const CommandNode& root);

} // namespace sp::core
