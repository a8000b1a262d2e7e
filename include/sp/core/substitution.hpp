// The variable substitution of SPEC.md section 4, as pure code:
//   ${name}            the variable's value in the environment
//   ${name:-fallback}  the fallback when the variable is not defined (an empty value is defined)
//   ${env:NAME}        the process environment at render time (never stored)
//   ${sp.job} ${sp.env} ${sp.cluster} ${sp.release}   built-ins
//   $${                a literal "${"
// Values are inserted as they are: no recursive expansion. A fallback is
// literal text with balanced braces (so `${a:-{"k":1}}` works); `$${` in it is
// the same escape, and a `${` reference inside a fallback is an error rather
// than being silently left unexpanded.
#pragma once

#include "sp/util/env.hpp"
#include "sp/util/error.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// What secret values are replaced with in every output.
inline constexpr std::string_view secret_mask = "******";

// Names of variables: [A-Za-z][A-Za-z0-9._-]*
bool is_valid_variable_name(std::string_view name);
// Names sp reserves for its built-ins (the `sp.` prefix); users cannot define them.
bool is_reserved_variable_name(std::string_view name);

// One piece of a parsed template.
struct TemplatePart {
  enum class Kind { literal, variable, process_env, builtin };
  Kind kind = Kind::literal;
  std::string text;                    // literal text, or the referenced name
  std::optional<std::string> fallback; // for `:-`, already unescaped
  std::size_t offset = 0;              // where the part starts in the template (bytes)
  std::size_t length = 0;              // how many bytes of the template it spans
  bool operator==(const TemplatePart&) const = default;
};

// Splits a template into parts. Syntax errors (an unterminated `${`, an
// invalid name, a reference inside a fallback) are usage errors that say at
// which character (1-based) the reference starts.
Result<std::vector<TemplatePart>> parse_template(std::string_view text);

// The variable names a template refers to (not env: or built-ins), in order,
// without duplicates. A template with a syntax error refers to nothing.
std::vector<std::string> referenced_variables(std::string_view text);

struct VariableValue {
  std::string value;
  bool secret = false;
  bool operator==(const VariableValue&) const = default;
};
using VariableSet = std::map<std::string, VariableValue, std::less<>>;

// Built-in values by full name ("sp.job"). A name mapped to nullopt is known
// but only filled later (sp.release before a release exists): its reference
// is kept verbatim. A built-in missing from the map is not available here.
using Builtins = std::map<std::string, std::optional<std::string>, std::less<>>;

// The names of every built-in sp knows.
const std::vector<std::string>& builtin_names();

struct SubstitutionContext {
  std::string environment; // for messages: "... in environment prod"
  VariableSet variables;
  Builtins builtins;
  util::EnvLookup process_env; // may be empty: then every ${env:...} is unset
};

struct SecretUse {
  std::string reference; // as written in the template
  std::string value;
};

// One field's result. `clear` carries real values; `masked` has every secret
// value (and every ${env:...} value, which is meant for CI secrets) replaced
// by secret_mask and is what any output may show.
struct ResolvedText {
  std::string clear;
  std::string masked;
  bool secret = false;
  // Each secret value `masked` hides, with the reference that gave it
  // ("${db.password}", "${env:TOKEN}"), so text another program derives
  // from `clear` (a compiled SQL plan) can be turned back into a template.
  std::vector<SecretUse> secrets;
};

// `json` (a JSON document derived from resolved text, such as a compiled
// SQL plan) as a template that renders back to it: every secret value, as
// written, replaced by its reference (longest first), and every other `${`
// escaped as `$${`. Storing the result stores no secret; rendering it with
// the same variables gives `json` again. Errors (usage) for a secret that
// JSON escapes or that follows a '$', which no template could give back.
Result<std::string> template_secrets(std::string_view json, const std::vector<SecretUse>& secrets);

// A problem found while resolving, already phrased for the user.
struct ResolutionProblem {
  std::string field;                   // "spec.args[1]"
  std::string message;                 // "undefined variable kafka.cluster in environment prod"
  ErrorKind kind = ErrorKind::refused; // usage for syntax errors, refused for missing values
};

// A variable reference found while resolving.
struct VariableUse {
  std::string field;
  std::string name;
  bool secret = false;
  bool defined = true; // false when the fallback was used
  bool operator==(const VariableUse&) const = default;
};

// Resolves many fields against one context, collecting every problem instead
// of stopping at the first, so a user sees all missing names at once.
class Resolver {
public:
  explicit Resolver(const SubstitutionContext& context) : context_(context) {}

  // Resolves `text` found at `field`. On problems the result is the input text.
  ResolvedText resolve(const std::string& field, std::string_view text);

  const std::vector<ResolutionProblem>& problems() const { return problems_; }
  const std::vector<VariableUse>& uses() const { return uses_; }
  // Names of the variables used, sorted.
  std::set<std::string> used_variables() const;
  bool uses_secret() const { return uses_secret_; }

  // One Error listing every problem as "<subject>: <field>: <message>", or
  // nothing when there were none. Kind: usage if any syntax error, else refused.
  std::optional<Error> error(const std::string& doing, const std::string& subject) const;

private:
  const SubstitutionContext& context_;
  std::vector<ResolutionProblem> problems_;
  std::vector<VariableUse> uses_;
  bool uses_secret_ = false;
};

} // namespace sp::core
