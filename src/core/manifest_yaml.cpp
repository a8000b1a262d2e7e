// YAML text -> Manifests. Pure: the caller reads the file and passes its text.
#include "spec_readers.hpp"
#include "yaml_object_reader.hpp"

#include <yaml-cpp/eventhandler.h>

#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace sp::core {

namespace {

using detail::Need;
using detail::ObjectReader;

ObjectSpec read_spec(ObjectKind kind, ObjectReader& reader) {
  switch (kind) {
  case ObjectKind::environment:
    return detail::read_environment_spec(reader);
  case ObjectKind::flink:
    return detail::read_flink_spec(reader);
  case ObjectKind::project:
    return detail::read_project_spec(reader);
  case ObjectKind::alert_channel:
    return detail::read_alert_channel_spec(reader);
  case ObjectKind::cluster:
    return detail::read_cluster_spec(reader);
  case ObjectKind::job:
    return detail::read_job_spec(reader);
  }
  return EnvironmentSpec{};
}

// A spec of the right alternative when the document has none (an
// Environment may omit it; for other kinds the reader already complained).
ObjectSpec empty_spec(ObjectKind kind) {
  switch (kind) {
  case ObjectKind::environment:
    return EnvironmentSpec{};
  case ObjectKind::flink:
    return FlinkSpec{};
  case ObjectKind::project:
    return ProjectSpec{};
  case ObjectKind::alert_channel:
    return AlertChannelSpec{};
  case ObjectKind::cluster:
    return ClusterSpec{};
  case ObjectKind::job:
    return JobSpec{};
  }
  return EnvironmentSpec{};
}

std::optional<ObjectKind> read_kind(ObjectReader& top) {
  auto text = top.string("kind", Need::required);
  if (!text) return std::nullopt;
  if (auto kind = object_kind_from_string(*text)) return kind;
  std::string message = "unknown kind";
  if (auto near = util::nearest(*text, kind_names())) {
    message += fmt::format(" (did you mean {}?)", *near);
  } else {
    message += fmt::format(" (known: {})", util::join(kind_names(), ", "));
  }
  top.report("kind", message);
  return std::nullopt;
}

void read_metadata(ObjectReader& metadata, Manifest& manifest) {
  manifest.name = metadata.string("name", Need::required).value_or("");
  if (is_namespaced(manifest.kind)) {
    manifest.environment = metadata.string("environment").value_or("");
  } else if (metadata.has("environment")) {
    metadata.report("environment", fmt::format("{} objects are global: they belong to no environment",
                                               core::to_string(manifest.kind)));
  }
  if (manifest.kind == ObjectKind::job) manifest.job_metadata = detail::read_job_metadata(metadata);
  metadata.finish();
}

std::optional<Manifest> read_document(const YAML::Node& document, const std::string& file,
                                      detail::ReadLog& log) {
  if (!document.IsMap()) {
    log.problems.push_back({detail::yaml_location(file, document.Mark()), "",
                            "expected a mapping with apiVersion, kind, metadata and spec"});
    return std::nullopt;
  }
  auto top = detail::yaml_reader(document, "", file, log);
  if (auto version = top->string("apiVersion", Need::required); version && *version != api_version) {
    top->report("apiVersion", fmt::format("unsupported version (this sp reads {})", api_version));
  }
  const auto kind = read_kind(*top);
  if (!kind) {
    // Without a kind the rest cannot be checked; do not bury the real problem.
    top->has("metadata");
    top->has("spec");
    top->finish();
    return std::nullopt;
  }
  Manifest manifest;
  manifest.kind = *kind;
  manifest.location = detail::yaml_location(file, document.Mark());
  if (auto metadata = top->object("metadata", Need::required)) read_metadata(*metadata, manifest);
  const Need spec_need = *kind == ObjectKind::environment ? Need::optional : Need::required;
  if (auto spec = top->object("spec", spec_need)) {
    manifest.spec = read_spec(*kind, *spec);
  } else {
    manifest.spec = empty_spec(*kind);
  }
  top->finish();
  return manifest;
}

// yaml-cpp 0.7 never returns from LoadAll when a document starts with a
// token its parser does not consume (a ',' at the top level, even after a
// tag or anchor: "!a,b", "&a,"): it makes empty documents forever, without
// bound on memory. Found by tests/fuzz. This first pass walks the documents
// with an event handler that keeps nothing and stops when there are more
// documents than the text could hold, returning where the parser is stuck.
class DocumentCounter final : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { last = mark; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
  YAML::Mark last = YAML::Mark::null_mark();
};

std::optional<YAML::Mark> stuck_parser_at(const std::string& text) {
  std::istringstream input(text);
  YAML::Parser parser(input);
  DocumentCounter counter;
  // Every real document consumes at least one character.
  for (std::size_t documents = 0; parser.HandleNextDocument(counter);) {
    if (++documents > text.size() + 1) return counter.last;
  }
  return std::nullopt;
}

// Line and column (from 1) of a byte offset, for messages.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  return {line, column};
}

} // namespace

Result<std::vector<Manifest>> parse_manifests(std::string_view yaml, const std::string& file_name) {
  const std::string doing = "reading " + file_name;
  // Everything sp stores and prints is UTF-8 (JSON), so reject anything else up front.
  if (auto offset = util::invalid_utf8_offset(yaml)) {
    const auto [line, column] = line_and_column(yaml, *offset);
    return fail(ErrorKind::usage, fmt::format("reading {}:{}:{}", file_name, line, column),
                "the text is not valid UTF-8");
  }
  // YAML allows no C0 control characters but tab and line breaks, and yaml-cpp
  // 0.7 turns some (NUL) into a lone 0x85 byte that is not UTF-8 (found by fuzzing).
  // A carriage return counts only as part of CRLF: yaml-cpp keeps a lone one
  // inside scalars, so it would not survive export and apply (also fuzzing).
  std::size_t index = 0;
  const auto control = std::ranges::find_if(yaml, [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    const bool lone_cr = c == '\r' && (index + 1 >= yaml.size() || yaml[index + 1] != '\n');
    ++index;
    return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f || lone_cr;
  });
  if (control != yaml.end()) {
    const auto offset = static_cast<std::size_t>(control - yaml.begin());
    const auto [line, column] = line_and_column(yaml, offset);
    return fail(ErrorKind::usage, fmt::format("reading {}:{}:{}", file_name, line, column),
                fmt::format("the text contains control character 0x{:02x}, which YAML does not allow",
                            static_cast<unsigned char>(*control)));
  }
  std::vector<YAML::Node> documents;
  try {
    const std::string text(yaml);
    if (auto stuck = stuck_parser_at(text)) {
      const Problem problem{detail::yaml_location(file_name, *stuck), "",
                            "invalid YAML: no document can start here (a ',' outside [] or {}?)"};
      return std::unexpected(*problems_error({problem}, problem.location ? "reading" : doing));
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    const Problem problem{detail::yaml_location(file_name, error.mark), "", "invalid YAML: " + error.msg};
    return std::unexpected(*problems_error({problem}, problem.location ? "reading" : doing));
  } catch (const std::exception& error) {
    return fail(ErrorKind::usage, doing, std::string("invalid YAML: ") + error.what());
  }
  detail::ReadLog log;
  std::vector<Manifest> manifests;
  for (const auto& document : documents) {
    if (document.IsNull()) continue; // an empty document, e.g. after a trailing `---`
    const std::size_t problems_before = log.problems.size();
    log.locations.clear();
    auto manifest = read_document(document, file_name, log);
    if (manifest && log.problems.size() == problems_before) {
      manifest->field_locations = log.locations;
      manifests.push_back(std::move(*manifest));
    }
  }
  // Report in file order, whatever order the fields were checked in.
  std::ranges::stable_sort(log.problems, [](const Problem& a, const Problem& b) {
    if (!a.location || !b.location) return false;
    return std::pair(a.location->line, a.location->column) < std::pair(b.location->line, b.location->column);
  });
  const std::string doing_for_problems =
      log.problems.size() == 1 && log.problems.front().location ? "reading" : doing;
  if (auto error = problems_error(log.problems, doing_for_problems)) return std::unexpected(*error);
  return manifests;
}

} // namespace sp::core
