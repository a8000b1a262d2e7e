#include "sp/core/substitution.hpp"

#include <catch2/catch.hpp>

using namespace sp::core;
using sp::ErrorKind;

namespace {

SubstitutionContext sample_context() {
  SubstitutionContext context;
  context.environment = "prod";
  context.variables = {
      {"kafka.cluster", {"broker-1:9092", false}},
      {"db.password", {"s3cr3t", true}},
      {"empty", {"", false}},
      {"a", {"A", false}},
      {"b", {"B", false}},
      {"z9._-", {"edge", false}},
      {"unicode", {"grüße ✓", false}},
      {"looks.like.ref", {"${a}", false}},
  };
  context.builtins = {{"sp.job", "orders-enrich"},
                      {"sp.env", "prod"},
                      {"sp.cluster", "prod-session"},
                      {"sp.release", std::nullopt}};
  context.process_env = sp::util::fixed_env({{"CI_TOKEN", "tok"}, {"EMPTY_ENV", ""}});
  return context;
}

struct Case {
  std::string input;
  std::string clear;
  std::string masked;
};

} // namespace

TEST_CASE("substitution resolves references, escapes and fallbacks", "[core][substitution]") {
  const auto context = sample_context();
  const std::vector<Case> cases{
      {"", "", ""},
      {"plain text", "plain text", "plain text"},
      {"${kafka.cluster}", "broker-1:9092", "broker-1:9092"},
      {"--brokers=${kafka.cluster}", "--brokers=broker-1:9092", "--brokers=broker-1:9092"},
      {"${a}${b}", "AB", "AB"},                         // adjacent references
      {"${a}-${b}.${a}", "A-B.A", "A-B.A"},             // separated by name characters
      {"${empty}", "", ""},                             // empty value is a value
      {"${empty:-fallback}", "", ""},                   // defined-but-empty does not take the fallback
      {"${missing:-fallback}", "fallback", "fallback"}, // undefined takes the fallback
      {"${missing:-}", "", ""},                         // empty fallback
      {"${missing:-http://h:8080/x}", "http://h:8080/x", "http://h:8080/x"}, // ':' in a fallback
      {"${missing:-{\"k\":1}}", "{\"k\":1}", "{\"k\":1}"},                   // balanced '}' in a fallback
      {"${missing:-a{b}c}d", "a{b}cd", "a{b}cd"},
      {"${missing:-$${x}}", "${x}", "${x}"}, // the escape works inside a fallback
      {"${missing:-:-}", ":-", ":-"},
      {"$${a}", "${a}", "${a}"},    // literal
      {"$$${a}", "$${a}", "$${a}"}, // leftmost match: '$' then the escape
      {"$", "$", "$"},
      {"$$", "$$", "$$"},
      {"$a {a} $ {a}", "$a {a} $ {a}", "$a {a} $ {a}"},
      {"}{", "}{", "}{"},
      {"${z9._-}", "edge", "edge"}, // every character class the name regex allows
      {"${unicode}", "grüße ✓", "grüße ✓"},
      {"ü${a}ü", "üAü", "üAü"},
      {"${looks.like.ref}", "${a}", "${a}"}, // values are not expanded again
      {"jdbc:${db.password}@host", "jdbc:s3cr3t@host", "jdbc:******@host"},
      {"${env:CI_TOKEN}", "tok", "******"}, // process env is treated as secret
      {"${env:EMPTY_ENV}", "", "******"},
      {"${env:UNSET_VAR:-dflt}", "dflt", "dflt"},
      {"${sp.job}-${sp.env}", "orders-enrich-prod", "orders-enrich-prod"},
      {"${sp.cluster}", "prod-session", "prod-session"},
      {"s3://b/${sp.release}/x", "s3://b/${sp.release}/x", "s3://b/${sp.release}/x"}, // filled later
      {"${sp.release:-r}", "${sp.release:-r}", "${sp.release:-r}"},
  };
  for (const auto& item : cases) {
    INFO("template: " << item.input);
    Resolver resolver(context);
    const auto resolved = resolver.resolve("spec.args[0]", item.input);
    CHECK(resolver.problems().empty());
    CHECK(resolved.clear == item.clear);
    CHECK(resolved.masked == item.masked);
  }
}

TEST_CASE("substitution syntax errors say where the reference starts", "[core][substitution]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"${", "invalid reference at character 1: ${ is not closed by }"},
      {"ab${a", "invalid reference at character 3: ${ is not closed by }"},
      {"${a:-x", "invalid reference at character 1: ${ is not closed by }"},
      {"${a:-{x}", "invalid reference at character 1: ${ is not closed by }"},
      {"${}", "invalid reference at character 1: a variable name starts with a letter and continues with "
              "letters, digits, '.', '_' or '-'"},
      {"${1abc}", "invalid reference at character 1: a variable name starts with a letter and continues "
                  "with letters, digits, '.', '_' or '-'"},
      {"${.a}", "invalid reference at character 1: a variable name starts with a letter and continues "
                "with letters, digits, '.', '_' or '-'"},
      {"${a b}", "invalid reference at character 1: unexpected ' ' after the name a (expected } or :-)"},
      {"${a:b}", "invalid reference at character 1: unexpected ':' after the name a (expected } or :-)"},
      {"${a:-${b}}", "invalid reference at character 1: a fallback cannot contain a reference"},
      {"${env:}", "invalid reference at character 1: an environment variable name starts with a letter or _"},
      {"${env:A.B}", "invalid reference at character 1: unexpected '.' after the name A (expected } or :-)"},
      {"üü${ñ}", "invalid reference at character 3: a variable name starts with a letter and continues "
                 "with letters, digits, '.', '_' or '-'"},
  };
  for (const auto& [input, message] : cases) {
    INFO("template: " << input);
    auto parts = parse_template(input);
    REQUIRE_FALSE(parts.has_value());
    CHECK(parts.error().kind() == ErrorKind::usage);
    CHECK(parts.error().why() == message);
  }
}

TEST_CASE("variable names follow [A-Za-z][A-Za-z0-9._-]*", "[core][substitution]") {
  for (const auto* name : {"a", "Z", "a1", "a.b", "a_b", "a-b", "a.", "A-", "kafka.cluster.v2"}) {
    INFO(name);
    CHECK(is_valid_variable_name(name));
  }
  for (const auto* name : {"", "1a", ".a", "_a", "-a", "a b", "a:b", "a$", "ä", "a/b"}) {
    INFO(name);
    CHECK_FALSE(is_valid_variable_name(name));
  }
  CHECK(is_reserved_variable_name("sp.job"));
  CHECK_FALSE(is_reserved_variable_name("spark.x"));
}

TEST_CASE("every missing name is reported at once, with its field", "[core][substitution]") {
  auto context = sample_context();
  Resolver resolver(context);
  resolver.resolve("spec.entryClass", "com.example.Main");
  resolver.resolve("spec.args[1]", "${kafka.cluster}");
  resolver.resolve("spec.args[3]", "${group.id}-${topic}");
  resolver.resolve("spec.state.savepointDir", "${env:NOT_SET}/x");
  REQUIRE(resolver.problems().size() == 3);
  const auto error = resolver.error("rendering job orders-enrich in environment prod", "job orders-enrich");
  REQUIRE(error.has_value());
  CHECK(error->kind() == ErrorKind::refused);
  CHECK(error->why() ==
        "3 problems:\n"
        "  job orders-enrich: spec.args[3]: undefined variable group.id in environment prod\n"
        "  job orders-enrich: spec.args[3]: undefined variable topic in environment prod\n"
        "  job orders-enrich: spec.state.savepointDir: environment variable NOT_SET is not set");
  CHECK(error->hint().find("sp var set NAME VALUE --env prod") != std::string::npos);
}

TEST_CASE("a single missing name reads like the spec's example", "[core][substitution]") {
  auto context = sample_context();
  context.variables.erase("kafka.cluster");
  Resolver resolver(context);
  resolver.resolve("spec.args[1]", "${kafka.cluster}");
  const auto error = resolver.error("rendering job orders-enrich", "job orders-enrich");
  REQUIRE(error.has_value());
  CHECK(std::string(error->what()) ==
        "rendering job orders-enrich: job orders-enrich: spec.args[1]: undefined variable kafka.cluster in "
        "environment prod");
}

TEST_CASE("syntax errors make the resolution a usage error", "[core][substitution]") {
  auto context = sample_context();
  Resolver resolver(context);
  resolver.resolve("spec.args[0]", "${missing}");
  resolver.resolve("spec.args[1]", "${oops");
  const auto error = resolver.error("rendering", "job j");
  REQUIRE(error.has_value());
  CHECK(error->kind() == ErrorKind::usage);
}

TEST_CASE("built-ins: unknown ones are errors, unavailable ones take a fallback", "[core][substitution]") {
  SubstitutionContext context;
  context.environment = "dev";
  context.builtins = {{"sp.env", "dev"}};
  Resolver resolver(context);
  CHECK(resolver.resolve("url", "${sp.job:-none}").clear == "none");
  resolver.resolve("url", "${sp.jobb}");
  resolver.resolve("url", "${sp.cluster}");
  REQUIRE(resolver.problems().size() == 2);
  CHECK(resolver.problems()[0].message ==
        "unknown built-in sp.jobb (known: sp.job, sp.env, sp.cluster, sp.release)");
  CHECK(resolver.problems()[0].kind == ErrorKind::usage);
  CHECK(resolver.problems()[1].message == "built-in sp.cluster has no value here");
}

TEST_CASE("the resolver reports which variables were used and whether any is secret",
          "[core][substitution]") {
  const auto context = sample_context();
  Resolver resolver(context);
  resolver.resolve("spec.args[0]", "${a}");
  CHECK_FALSE(resolver.uses_secret());
  resolver.resolve("spec.args[1]", "${db.password}${missing:-x}");
  CHECK(resolver.uses_secret());
  CHECK(resolver.used_variables() == std::set<std::string>{"a", "db.password", "missing"});
  REQUIRE(resolver.uses().size() == 3);
  CHECK(resolver.uses()[1] == VariableUse{"spec.args[1]", "db.password", true, true});
  CHECK(resolver.uses()[2] == VariableUse{"spec.args[1]", "missing", false, false});
}

TEST_CASE("no process environment means every ${env:...} is unset", "[core][substitution]") {
  SubstitutionContext context;
  context.environment = "dev";
  Resolver resolver(context);
  CHECK(resolver.resolve("f", "${env:HOME:-h}").clear == "h");
  resolver.resolve("f", "${env:HOME}");
  CHECK(resolver.problems().size() == 1);
}

TEST_CASE("referenced_variables lists variable names once, in order", "[core][substitution]") {
  CHECK(referenced_variables("${b}${a}${b}${env:X}${sp.job}$${c}") == std::vector<std::string>{"b", "a"});
  CHECK(referenced_variables("${broken").empty());
}

TEST_CASE("parse_template keeps offsets and lengths of every part", "[core][substitution]") {
  auto parts = parse_template("a$${b}${c:-d}e").value();
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].text == "a${b}");
  CHECK(parts[0].offset == 0);
  CHECK(parts[0].length == 6);
  CHECK(parts[1].kind == TemplatePart::Kind::variable);
  CHECK(parts[1].fallback == "d");
  CHECK(parts[1].offset == 6);
  CHECK(parts[1].length == 7);
  CHECK(parts[2].text == "e");
  CHECK(parts[2].offset == 13);
}

TEST_CASE("template_secrets turns a derived document back into a template with no secret in it",
          "[core][substitution]") {
  auto context = sample_context();
  context.variables["short"] = {"db", true}; // appears inside the longer reference's name
  Resolver resolver(context);
  const auto resolved = resolver.resolve("spec.sql", "'${db.password}' '${short}' '${env:CI_TOKEN}'");
  REQUIRE(resolved.secrets.size() == 3);
  CHECK(resolved.secrets[0].reference == "${db.password}");
  CHECK(resolved.secrets[2].reference == "${env:CI_TOKEN}");

  // What a planner might write from the clear script: values, a literal ${, and a lone '$'.
  const std::string plan =
      R"({"options":{"password":"s3cr3t","user":"db","token":"tok"},"note":"${x} $ costs"})";
  auto stored = template_secrets(plan, resolved.secrets);
  REQUIRE(stored);
  CHECK(stored->find("s3cr3t") == std::string::npos);
  CHECK(stored->find("\"tok\"") == std::string::npos);
  CHECK_THAT(*stored, Catch::Contains(R"("user":"${short}")"));
  CHECK_THAT(*stored, Catch::Contains(R"("note":"$${x} $ costs")"));

  Resolver again(context);
  const auto rendered = again.resolve("compiled plan", *stored);
  CHECK(again.problems().empty());
  CHECK(rendered.clear == plan);
  CHECK(rendered.masked.find("s3cr3t") == std::string::npos);
}

TEST_CASE("template_secrets refuses what no template could give back", "[core][substitution]") {
  const std::vector<SecretUse> quoted{{"${p}", "a\"b"}};
  auto escaped = template_secrets(R"({"p":"a\"b"})", quoted);
  REQUIRE_FALSE(escaped);
  CHECK(escaped.error().kind() == ErrorKind::usage);
  CHECK_THAT(std::string(escaped.error().what()), Catch::Contains("${p}"));

  const std::vector<SecretUse> dollar{{"${p}", "pw"}};
  auto after_dollar = template_secrets(R"({"p":"$pw"})", dollar);
  REQUIRE_FALSE(after_dollar);
  CHECK_THAT(std::string(after_dollar.error().what()), Catch::Contains("follows a '$'"));

  CHECK(template_secrets("{}", {}).value() == "{}");
}
