#include "sp/cli/app.hpp"

#include "commands.hpp"
#include "completion.hpp"
#include "config_file.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

namespace sp::cli {

namespace {

struct GlobalFlags {
  std::optional<std::string> home;
  std::optional<std::string> environment;
  std::optional<std::string> output;
  bool quiet = false;
  bool verbose = false;
  bool no_color = false;
  bool yes = false;
};

void add_global_flags(CLI::App& app, GlobalFlags& flags) {
  app.add_option("--home", flags.home, "SP_HOME: where sp keeps its database, workspace and logs")
      ->type_name("DIR");
  app.add_option("--env", flags.environment,
                 "the environment to act in (else SP_ENV, the config file, `default`)")
      ->type_name("NAME");
  app.add_option("-o,--output", flags.output, "result format: table, json or yaml")->type_name("FORMAT");
  app.add_flag("-q,--quiet", flags.quiet, "no progress or notes on stderr");
  app.add_flag("-v,--verbose", flags.verbose, "more detail on stderr");
  app.add_flag("--no-color", flags.no_color, "no colours (also NO_COLOR)");
  app.add_flag("-y,--yes", flags.yes, "answer yes to confirmations");
}

void print_error(std::ostream& err, const Error& error) {
  err << "sp: error: " << error.what() << '\n';
  if (!error.hint().empty()) err << "hint: " << error.hint() << '\n';
}

// The deepest subcommand that was recognised, to suggest among its children.
const CLI::App* deepest_parsed(const CLI::App& app) {
  const CLI::App* current = &app;
  for (;;) {
    auto parsed = current->get_subcommands();
    if (parsed.empty()) return current;
    current = parsed.front();
  }
}

// CLI11 reports an unknown command as unexpected extra arguments; turn that
// into "unknown command" with the nearest known name as a hint.
std::optional<Error> unknown_command_error(const CLI::App& root, const std::vector<std::string>& args) {
  const CLI::App* parent = deepest_parsed(root);
  std::vector<std::string> names;
  for (const auto* sub : parent->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  if (names.empty()) return std::nullopt;
  // The first argument that is neither an option nor a recognised command name.
  for (const auto& arg : args) {
    if (arg.starts_with("-")) continue;
    if (arg == parent->get_name() || std::ranges::find(names, arg) != names.end()) continue;
    const CLI::App* walk = &root;
    bool is_path = false;
    while (walk != parent && !is_path) {
      if (walk->get_name() == arg) is_path = true;
      auto subs = walk->get_subcommands();
      if (subs.empty()) break;
      walk = subs.front();
    }
    if (is_path) continue;
    const std::string where = parent == &root ? "sp" : "sp " + parent->get_name();
    std::string hint = fmt::format("see `{} --help` for the commands", where);
    if (auto suggestion = util::nearest(arg, names)) {
      hint = fmt::format("did you mean `{} {}`?", where, *suggestion);
    }
    return Error(ErrorKind::usage, "parsing the command line", fmt::format("unknown command '{}'", arg),
                 hint);
  }
  return std::nullopt;
}

int run_parsed(const GlobalFlags& flags, const Action& action, const util::EnvLookup& env, Streams streams) {
  const auto config_path = core::config_file_path(env);
  const core::ConfigFile config = config_path ? load_config_file(*config_path) : core::ConfigFile{};
  core::FlagValues values{flags.home, flags.environment, flags.output, flags.no_color};
  const bool progress = streams.err_is_terminal && !flags.quiet;
  Invocation invocation{
      .settings = value_or_throw(core::resolve_settings(values, env, config, streams.out_is_terminal)),
      .quiet = flags.quiet,
      .verbose = flags.verbose,
      .assume_yes = flags.yes,
      .progress = progress,
      .env = env,
      .out = streams.out,
      .err = streams.err,
      .display = std::make_shared<ProgressDisplay>(streams.err, progress, progress ? stderr_columns() : 80),
  };
  return action(invocation);
}

// What CLI11 builds and binds for one invocation. Not movable (CLI11's
// options point into it), so it lives behind a pointer.
struct CommandLine {
  CLI::App app{"sp operates Apache Flink jobs: build, release, start with restore, stop, watch.", "sp"};
  GlobalFlags flags;
  Action chosen;
  bool whole = false; // every command group, not only the invoked one
};

// The first word of `args` that is not a global flag or a global flag's
// value: the top-level command. None when help is asked for, which lists
// the whole tree.
std::optional<std::string_view> invoked_word(const CLI::App& root, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help" || arg == "--help-all") return std::nullopt;
    if (!arg.starts_with("-")) return arg;
    if (arg.find('=') != std::string::npos || (!arg.starts_with("--") && arg.size() > 2)) continue;
    const CLI::Option* option = root.get_option_no_throw(arg);
    if (option != nullptr && option->get_items_expected_min() > 0) ++i; // its value
  }
  return std::nullopt;
}

std::unique_ptr<CommandLine> make_command_line(const std::vector<std::string>& args, bool whole) {
  auto line = std::make_unique<CommandLine>();
  line->app.require_subcommand(1);
  line->app.fallthrough();
  add_global_flags(line->app, line->flags);
  const auto word = whole ? std::nullopt : invoked_word(line->app, args);
  line->whole = !word || !add_command_group(line->app, line->chosen, *word);
  if (line->whole) add_all_commands(line->app, line->chosen);
  return line;
}

// Parses `args` into `line`; an exit code when there is nothing to run
// (help shown, or a usage error printed).
std::optional<int> parse(CommandLine& line, const std::vector<std::string>& args, const Streams& streams) {
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 consumes from the back
    line.app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    streams.out << line.app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    streams.out << line.app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& error) {
    if (auto unknown = unknown_command_error(line.app, args)) {
      print_error(streams.err, *unknown);
    } else {
      print_error(streams.err,
                  Error(ErrorKind::usage, "parsing the command line", error.what(), "see `sp --help`"));
    }
    return exit_code(ErrorKind::usage);
  }
  return std::nullopt;
}

} // namespace

int run(const std::vector<std::string>& args, const util::EnvLookup& env, Streams streams) {
  // The shell scripts' and documentation checks' entry points: outside the
  // parsed tree, so no word they are given is taken as a flag of sp itself.
  if (!args.empty() && (args.front() == "__complete" || args.front() == "__commands")) {
    const auto line = make_command_line(args, true);
    if (args.front() == "__complete") {
      print_completion(line->app, std::vector<std::string>(args.begin() + 1, args.end()), env, streams.out);
    } else {
      print_command_list(line->app, streams.out);
    }
    return 0;
  }

  auto line = make_command_line(args, false);
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    line->app.parse(reversed);
  } catch (const CLI::Error&) {
    // Help, or a mistake: answered from the whole tree, so help lists every
    // command and a mistyped word is matched against all of them.
    line = make_command_line(args, true);
    if (auto ended = parse(*line, args, streams)) return *ended;
  }

  try {
    return run_parsed(line->flags, line->chosen, env, streams);
  } catch (const Error& error) {
    print_error(streams.err, error);
    return exit_code(error.kind());
  } catch (const std::exception& error) {
    print_error(streams.err, Error(ErrorKind::failure, "internal error", error.what(),
                                   "this is a bug in sp; please report it"));
    return exit_code(ErrorKind::failure);
  }
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return run(args, util::process_env(),
             Streams{std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1, ::isatty(STDERR_FILENO) == 1});
}

} // namespace sp::cli
