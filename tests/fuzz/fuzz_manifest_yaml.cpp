// Fuzzes declarative file reading: any text must give manifests or a clean
// error, never a crash. Manifests that read successfully must survive the
// export path (JSON and the YAML that `sp export` prints) and read back equal.
#include "sp/cli/output.hpp"
#include "sp/core/manifest.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace {

void check_round_trip(const sp::core::Manifest& manifest) {
  const auto exported = sp::core::to_manifest_json(manifest, false);
  std::ostringstream yaml;
  sp::cli::render(yaml, {exported, {}}, {.format = sp::core::OutputFormat::yaml});
  for (const std::string& text : {exported.dump(), yaml.str()}) {
    auto again = sp::core::parse_manifests(text, "exported.yaml");
    if (!again || again->size() != 1) std::abort();
    auto& back = again->front();
    if (back.kind == sp::core::ObjectKind::flink) {
      std::get<sp::core::FlinkSpec>(back.spec).version = std::get<sp::core::FlinkSpec>(manifest.spec).version;
    }
    if (sp::core::to_comparable_json(back, false) != sp::core::to_comparable_json(manifest, false))
      std::abort();
    if (back.name != manifest.name || back.environment != manifest.environment) std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifests = sp::core::parse_manifests(text, "fuzz.yaml");
  if (!manifests) {
    (void)manifests.error().what();
    return 0;
  }
  for (const auto& manifest : *manifests) check_round_trip(manifest);
  return 0;
}
