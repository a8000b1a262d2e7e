#include "sp/core/substitution.hpp"

#include "sp/util/strings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace sp::core {

namespace {

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) {
  return is_ascii_letter(c) || is_ascii_digit(c) || c == '.' || c == '_' || c == '-';
}
bool is_env_name_start(char c) { return is_ascii_letter(c) || c == '_'; }
bool is_env_name_char(char c) { return is_ascii_letter(c) || is_ascii_digit(c) || c == '_'; }

// 1-based character (not byte) position, so messages match what an editor shows
// for UTF-8 text: continuation bytes (10xxxxxx) do not start a character.
std::size_t character_position(std::string_view text, std::size_t offset) {
  const auto prefix = text.substr(0, offset);
  return 1 + static_cast<std::size_t>(std::ranges::count_if(
                 prefix, [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

Error syntax_error(std::string_view text, std::size_t offset, const std::string& why) {
  return Error(ErrorKind::usage, "",
               fmt::format("invalid reference at character {}: {}", character_position(text, offset), why),
               "write $${ for a literal ${");
}

// Reads the fallback after `:-` up to the `}` that balances the reference.
// `at` points just after `:-`; on success it points at the closing `}`.
Result<std::string> read_fallback(std::string_view text, std::size_t start, std::size_t& at) {
  std::string fallback;
  int depth = 0;
  while (at < text.size()) {
    if (text.substr(at).starts_with("$${")) {
      fallback += "${";
      at += 3;
    } else if (text.substr(at).starts_with("${")) {
      return std::unexpected(syntax_error(text, start, "a fallback cannot contain a reference"));
    } else if (text[at] == '{') {
      ++depth;
      fallback += text[at++];
    } else if (text[at] == '}') {
      if (depth == 0) return fallback;
      --depth;
      fallback += text[at++];
    } else {
      fallback += text[at++];
    }
  }
  return std::unexpected(syntax_error(text, start, "${ is not closed by }"));
}

// Parses the reference that starts with "${" at `start`; on success `at` is
// just past its closing brace.
Result<TemplatePart> read_reference(std::string_view text, std::size_t start, std::size_t& at) {
  TemplatePart part;
  part.offset = start;
  at = start + 2;
  const bool process_env = text.substr(at).starts_with("env:");
  if (process_env) at += 4;
  const std::size_t name_start = at;
  if (at >= text.size()) return std::unexpected(syntax_error(text, start, "${ is not closed by }"));
  if (process_env ? !is_env_name_start(text[at]) : !is_ascii_letter(text[at])) {
    return std::unexpected(syntax_error(
        text, start,
        process_env
            ? "an environment variable name starts with a letter or _"
            : "a variable name starts with a letter and continues with letters, digits, '.', '_' or '-'"));
  }
  while (at < text.size() && (process_env ? is_env_name_char(text[at]) : is_name_char(text[at]))) ++at;
  part.text = std::string(text.substr(name_start, at - name_start));
  part.kind = process_env                    ? TemplatePart::Kind::process_env
              : part.text.starts_with("sp.") ? TemplatePart::Kind::builtin
                                             : TemplatePart::Kind::variable;
  if (at >= text.size()) return std::unexpected(syntax_error(text, start, "${ is not closed by }"));
  if (text.substr(at).starts_with(":-")) {
    at += 2;
    auto fallback = read_fallback(text, start, at);
    if (!fallback) return std::unexpected(fallback.error());
    part.fallback = std::move(*fallback);
  } else if (text[at] != '}') {
    return std::unexpected(syntax_error(
        text, start,
        fmt::format("unexpected '{}' after the name {} (expected }} or :-)", text[at], part.text)));
  }
  ++at; // the closing brace
  part.length = at - start;
  return part;
}

} // namespace

bool is_valid_variable_name(std::string_view name) {
  return !name.empty() && is_ascii_letter(name.front()) && std::ranges::all_of(name, is_name_char);
}

bool is_reserved_variable_name(std::string_view name) { return name.starts_with("sp."); }

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names{"sp.job", "sp.env", "sp.cluster", "sp.release"};
  return names;
}

Result<std::vector<TemplatePart>> parse_template(std::string_view text) {
  std::vector<TemplatePart> parts;
  auto append_literal = [&](std::string_view piece, std::size_t offset) {
    if (parts.empty() || parts.back().kind != TemplatePart::Kind::literal) {
      parts.push_back({.kind = TemplatePart::Kind::literal, .offset = offset});
    }
    parts.back().text += piece;
    parts.back().length = offset + piece.size() - parts.back().offset;
  };
  std::size_t at = 0;
  while (at < text.size()) {
    const auto rest = text.substr(at);
    if (rest.starts_with("$${")) {
      append_literal("${", at);
      parts.back().length += 1; // three characters of input became two
      at += 3;
    } else if (rest.starts_with("${")) {
      auto part = read_reference(text, at, at);
      if (!part) return std::unexpected(part.error());
      parts.push_back(std::move(*part));
    } else {
      // Copy up to the next '$' at once; most text has no reference at all.
      const std::size_t next = text.find('$', at + 1);
      const std::size_t end = next == std::string_view::npos ? text.size() : next;
      append_literal(text.substr(at, end - at), at);
      at = end;
    }
  }
  return parts;
}

std::vector<std::string> referenced_variables(std::string_view text) {
  std::vector<std::string> names;
  auto parts = parse_template(text);
  if (!parts) return names;
  for (const auto& part : *parts) {
    if (part.kind == TemplatePart::Kind::variable && std::ranges::find(names, part.text) == names.end()) {
      names.push_back(part.text);
    }
  }
  return names;
}

ResolvedText Resolver::resolve(const std::string& field, std::string_view text) {
  auto parts = parse_template(text);
  if (!parts) {
    problems_.push_back({field, parts.error().why(), ErrorKind::usage});
    return {std::string(text), std::string(text), false};
  }
  const std::size_t problems_before = problems_.size();
  ResolvedText result;
  auto append = [&](const std::string& value, bool secret, std::string reference = {}) {
    result.clear += value;
    result.masked += secret ? std::string(secret_mask) : value;
    result.secret = result.secret || secret;
    if (secret && !value.empty()) result.secrets.push_back({std::move(reference), value});
  };
  for (const auto& part : *parts) {
    switch (part.kind) {
    case TemplatePart::Kind::literal:
      append(part.text, false);
      break;
    case TemplatePart::Kind::variable: {
      const auto found = context_.variables.find(part.text);
      uses_.push_back({field, part.text, found != context_.variables.end() && found->second.secret,
                       found != context_.variables.end()});
      if (found != context_.variables.end()) {
        append(found->second.value, found->second.secret, "${" + part.text + "}");
        uses_secret_ = uses_secret_ || found->second.secret;
      } else if (part.fallback) {
        append(*part.fallback, false);
      } else {
        problems_.push_back(
            {field, fmt::format("undefined variable {} in environment {}", part.text, context_.environment)});
      }
      break;
    }
    case TemplatePart::Kind::process_env: {
      // Process variables are there for CI secrets: always treated as secret.
      auto value = context_.process_env ? context_.process_env(part.text) : std::nullopt;
      if (value) {
        append(*value, true, "${env:" + part.text + "}");
        uses_secret_ = true;
      } else if (part.fallback) {
        append(*part.fallback, false);
      } else {
        problems_.push_back({field, fmt::format("environment variable {} is not set", part.text)});
      }
      break;
    }
    case TemplatePart::Kind::builtin: {
      const auto found = context_.builtins.find(part.text);
      if (found != context_.builtins.end() && found->second) {
        append(*found->second, false);
      } else if (found != context_.builtins.end()) {
        append(std::string(text.substr(part.offset, part.length)), false); // filled in later
      } else if (std::ranges::find(builtin_names(), part.text) == builtin_names().end()) {
        problems_.push_back(
            {field,
             fmt::format("unknown built-in {} (known: {})", part.text, util::join(builtin_names(), ", ")),
             ErrorKind::usage});
      } else if (part.fallback) {
        append(*part.fallback, false);
      } else {
        problems_.push_back({field, fmt::format("built-in {} has no value here", part.text)});
      }
      break;
    }
    }
  }
  if (problems_.size() != problems_before) return {std::string(text), std::string(text), false};
  return result;
}

std::set<std::string> Resolver::used_variables() const {
  std::set<std::string> names;
  for (const auto& use : uses_) names.insert(use.name);
  return names;
}

std::optional<Error> Resolver::error(const std::string& doing, const std::string& subject) const {
  if (problems_.empty()) return std::nullopt;
  std::vector<std::string> lines;
  bool syntax = false;
  bool undefined_variable = false;
  for (const auto& problem : problems_) {
    lines.push_back(fmt::format("{}: {}: {}", subject, problem.field, problem.message));
    syntax = syntax || problem.kind == ErrorKind::usage;
    undefined_variable = undefined_variable || problem.message.starts_with("undefined variable");
  }
  std::string why = lines.size() == 1
                        ? lines.front()
                        : fmt::format("{} problems:\n  {}", lines.size(), util::join(lines, "\n  "));
  std::string hint;
  if (undefined_variable) {
    hint = fmt::format(
        "define them with `sp var set NAME VALUE --env {}`, or give a fallback as ${{NAME:-VALUE}}",
        context_.environment);
  }
  return Error(syntax ? ErrorKind::usage : ErrorKind::refused, doing, std::move(why), std::move(hint));
}

namespace {

Error untemplatable(const SecretUse& secret, const std::string& why) {
  return Error(ErrorKind::usage, "storing a compiled plan",
               fmt::format("the value of {} {}", secret.reference, why),
               "a pinned plan cannot carry it; use plan: fresh");
}

} // namespace

// One pass over `json`, so a reference put in is never searched again (a
// short secret could match inside "${db.password}") and `${` inside a
// secret's own value is never escaped into the stored text.
Result<std::string> template_secrets(std::string_view json, const std::vector<SecretUse>& secrets) {
  std::vector<const SecretUse*> longest_first;
  for (const auto& secret : secrets) {
    const auto quoted = nlohmann::json(secret.value).dump();
    if (quoted.substr(1, quoted.size() - 2) != secret.value) {
      return std::unexpected(untemplatable(secret, "holds characters JSON escapes"));
    }
    if (!secret.value.empty()) longest_first.push_back(&secret);
  }
  std::ranges::sort(longest_first,
                    [](const SecretUse* a, const SecretUse* b) { return a->value.size() > b->value.size(); });
  std::string out;
  out.reserve(json.size());
  for (std::size_t at = 0; at < json.size();) {
    const auto rest = json.substr(at);
    const auto secret =
        std::ranges::find_if(longest_first, [&](const SecretUse* s) { return rest.starts_with(s->value); });
    if (secret != longest_first.end()) {
      // "$" then a reference reads as the escape "$${": no template gives it back.
      if (out.ends_with('$')) return std::unexpected(untemplatable(**secret, "follows a '$' in the plan"));
      out += (*secret)->reference;
      at += (*secret)->value.size();
    } else if (rest.starts_with("${")) {
      out += "$${";
      at += 2;
    } else {
      out += json[at++];
    }
  }
  return out;
}

} // namespace sp::core
