// Fuzzes the substitution engine: any template must resolve or fail cleanly,
// and the masked output must not depend on secret values at all (checked by
// resolving again with other secrets: a plain "does not contain the secret"
// check is wrong, as the template's own text may spell it).
#include "sp/core/substitution.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::string secret = "S3CRET-VALUE";
  sp::core::SubstitutionContext context;
  context.environment = "fuzz";
  context.variables = {{"a", {"A", false}},
                       {"pw", {secret, true}},
                       {"empty", {"", false}},
                       {"ref", {"${pw}", false}},
                       {"x.y-z_1", {"xyz", false}}};
  context.builtins = {{"sp.job", "job"}, {"sp.env", "fuzz"}, {"sp.release", std::nullopt}};
  context.process_env = sp::util::fixed_env({{"TOKEN", secret}});

  sp::core::Resolver resolver(context);
  const auto resolved = resolver.resolve("spec.args[0]", text);
  auto other = context;
  other.variables["pw"].value = "another secret";
  other.process_env = sp::util::fixed_env({{"TOKEN", "another token"}});
  sp::core::Resolver other_resolver(other);
  if (other_resolver.resolve("spec.args[0]", text).masked != resolved.masked) std::abort();
  if (resolver.problems().empty() != !resolver.error("fuzzing", "job j").has_value()) std::abort();
  // Parsing agrees with resolving about syntax.
  const auto parts = sp::core::parse_template(text);
  if (!parts && resolver.problems().empty()) std::abort();
  if (parts) {
    std::size_t covered = 0;
    for (const auto& part : *parts) {
      if (part.offset != covered) std::abort(); // parts tile the template exactly
      covered += part.length;
    }
    if (covered != text.size()) std::abort();
  }
  (void)sp::core::referenced_variables(text);
  return 0;
}
