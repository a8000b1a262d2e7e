#include "sp/core/completion.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace sp::core {

namespace {

struct Fixed {
  std::vector<std::string> choices;
  NameKind names = NameKind::none;
  PathHint paths = PathHint::none;
};

// What an option's value can be, by the option's name: the same flag means
// the same thing in every command, so one table covers them all.
Fixed option_values(const CommandOption& option) {
  const auto has = [&](std::string_view name) {
    return std::ranges::find(option.names, name) != option.names.end();
  };
  if (has("--output")) return {.choices = {"table", "json", "yaml"}};
  if (has("--restore")) return {.choices = {"auto", "none"}, .paths = PathHint::files};
  if (has("--type")) {
    return {.choices = {"remote", "yarn-session", "yarn-application", "kubernetes-session",
                        "kubernetes-application"}};
  }
  if (has("--submit")) return {.choices = {"rest", "cli"}};
  if (has("--env")) return {.names = NameKind::environment};
  if (has("--cluster")) return {.names = NameKind::cluster};
  if (has("--flink")) return {.names = NameKind::flink};
  if (has("--home") || has("--dir")) return {.paths = PathHint::directories};
  if (has("--filename") || has("--ssh-key") || has("--metrics-file") || has("--ca-file")) {
    return {.paths = PathHint::files};
  }
  return {};
}

// What a positional argument names, by its name and the command group it sits
// in; `add` and `create` name something new, so nothing is offered there.
Fixed positional_values(const std::string& group, const std::string& command, const Positional& positional) {
  const std::string& name = positional.name;
  if (name == "job" || name == "jobs") return {.names = NameKind::job};
  if (name == "cluster") return {.names = NameKind::cluster};
  if (name == "kind")
    return {.choices = {"Environment", "Flink", "Project", "AlertChannel", "Cluster", "Job"}};
  if (name == "path") return {.paths = PathHint::directories};
  if (name != "name" || command == "add" || command == "create") return {};
  static constexpr std::array<std::pair<std::string_view, NameKind>, 7> groups{{
      {"env", NameKind::environment},
      {"var", NameKind::variable},
      {"project", NameKind::project},
      {"flink", NameKind::flink},
      {"cluster", NameKind::cluster},
      {"alert", NameKind::alert_channel},
      {"job", NameKind::job},
  }};
  for (const auto& [group_name, kind] : groups) {
    if (group == group_name) return {.names = kind};
  }
  return {};
}

const CommandOption* find_option(const std::vector<const CommandNode*>& path, std::string_view name) {
  // Innermost first: CLI11 lets options of a parent follow a subcommand (fallthrough).
  for (auto node = path.rbegin(); node != path.rend(); ++node) {
    for (const auto& option : (*node)->options) {
      if (std::ranges::find(option.names, name) != option.names.end()) return &option;
    }
  }
  return nullptr;
}

const CommandNode* find_child(const CommandNode& node, std::string_view name) {
  for (const auto& child : node.children) {
    if (child.name == name) return &child;
  }
  return nullptr;
}

void remember_global(GlobalWords& globals, const CommandOption& option, const std::string& value) {
  if (std::ranges::find(option.names, "--home") != option.names.end()) globals.home = value;
  if (std::ranges::find(option.names, "--env") != option.names.end()) globals.environment = value;
}

// Candidates of `values` that start with `prefix`, each written after `lead`
// (the "--output=" of an inline value).
Completion offer(const Fixed& values, const std::string& lead, const std::string& prefix,
                 const NameSource& names, const GlobalWords& globals) {
  Completion completion{.paths = values.paths};
  std::vector<std::string> words = values.choices;
  if (values.names != NameKind::none && names) {
    auto found = names(values.names, globals);
    words.insert(words.end(), found.begin(), found.end());
  }
  for (const auto& word : words) {
    if (word.starts_with(prefix)) completion.candidates.push_back({lead + word, ""});
  }
  return completion;
}

void offer_options(Completion& completion, const std::vector<const CommandNode*>& path,
                   const std::string& prefix) {
  for (auto node = path.rbegin(); node != path.rend(); ++node) {
    for (const auto& option : (*node)->options) {
      for (const auto& name : option.names) {
        if (!name.starts_with(prefix)) continue;
        const bool seen =
            std::ranges::any_of(completion.candidates, [&](const Candidate& c) { return c.word == name; });
        if (!seen) completion.candidates.push_back({name, option.help});
      }
    }
  }
}

} // namespace

Completion complete(const CommandNode& root, const std::vector<std::string>& words, const NameSource& names) {
  std::vector<const CommandNode*> path{&root};
  GlobalWords globals;
  std::size_t positional_index = 0;
  bool options_ended = false;
  const std::string current = words.empty() ? std::string() : words.back();
  const std::size_t typed = words.empty() ? 0 : words.size() - 1;

  for (std::size_t i = 0; i < typed; ++i) {
    const std::string& word = words[i];
    if (!options_ended && word == "--") {
      options_ended = true;
    } else if (!options_ended && word.starts_with("-") && word.size() > 1) {
      const auto equals = word.find('=');
      const CommandOption* option = find_option(path, std::string_view(word).substr(0, equals));
      if (option == nullptr || !option->takes_value) continue;
      if (equals != std::string::npos) {
        remember_global(globals, *option, word.substr(equals + 1));
      } else if (i + 1 < typed) {
        remember_global(globals, *option, words[++i]);
      } else {
        // The word under the cursor is this option's value.
        return offer(option_values(*option), "", current, names, globals);
      }
    } else if (const CommandNode* child = positional_index == 0 ? find_child(*path.back(), word) : nullptr) {
      path.push_back(child);
    } else {
      ++positional_index;
    }
  }

  if (!options_ended && current.starts_with("-")) {
    const auto equals = current.find('=');
    if (equals != std::string::npos) {
      const CommandOption* option = find_option(path, std::string_view(current).substr(0, equals));
      if (option == nullptr || !option->takes_value) return {};
      return offer(option_values(*option), current.substr(0, equals + 1), current.substr(equals + 1), names,
                   globals);
    }
    Completion completion;
    offer_options(completion, path, current);
    return completion;
  }

  const CommandNode& node = *path.back();
  if (positional_index == 0 && !node.children.empty()) {
    Completion completion;
    for (const auto& child : node.children) {
      if (child.name.starts_with(current)) completion.candidates.push_back({child.name, child.help});
    }
    return completion;
  }
  const auto& positionals = node.positionals;
  if (positionals.empty()) return {};
  const bool beyond = positional_index >= positionals.size();
  if (beyond && !positionals.back().repeats) return {};
  const Positional& positional = beyond ? positionals.back() : positionals[positional_index];
  const std::string group = path.size() >= 3 ? path[path.size() - 2]->name : node.name;
  return offer(positional_values(group, node.name, positional), "", current, names, globals);
}

std::string format_completion(const Completion& completion) {
  std::string text;
  for (const auto& candidate : completion.candidates) {
    text += candidate.word;
    if (!candidate.help.empty()) {
      // One line per candidate: a help text never carries the separators.
      std::string help = candidate.help;
      std::ranges::replace_if(help, [](char c) { return c == '\n' || c == '\t'; }, ' ');
      text += '\t' + help;
    }
    text += '\n';
  }
  if (completion.paths == PathHint::files) text += ":files\n";
  if (completion.paths == PathHint::directories) text += ":dirs\n";
  return text;
}

namespace {

void list_into(const CommandNode& node, const std::string& path, std::vector<std::string>& lines) {
  lines.push_back(path);
  const std::string lead = path.empty() ? "" : path + " ";
  for (const auto& option : node.options) {
    for (const auto& name : option.names) lines.push_back(lead + name);
  }
  for (const auto& child : node.children) list_into(child, lead + child.name, lines);
}

} // namespace

std::vector<std::string> list_commands(const CommandNode& root) {
  std::vector<std::string> lines;
  list_into(root, "", lines);
  return lines;
}

} // namespace sp::core
