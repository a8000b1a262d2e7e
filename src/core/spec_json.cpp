// Specs read back from their canonical JSON (the database), through the same
// readers that read files.
#include "object_reader.hpp"
#include "spec_readers.hpp"

namespace sp::core {

namespace {

template <typename Spec, typename ReadFunction>
Result<Spec> read_json(const nlohmann::json& json, const char* path, const std::string& what,
                       ReadFunction read) {
  detail::ReadLog log;
  auto reader = detail::json_reader(json, path, log);
  Spec spec = read(*reader); // a non-object is reported by the reader's finish()
  if (auto error = problems_error(log.problems, "reading a stored " + what)) return std::unexpected(*error);
  return spec;
}

} // namespace

Result<JobSpec> job_spec_from_json(const nlohmann::json& json) {
  return read_json<JobSpec>(json, "spec", "job spec", detail::read_job_spec);
}

Result<JobMetadata> job_metadata_from_json(const nlohmann::json& json) {
  return read_json<JobMetadata>(json, "metadata", "job's metadata", [](detail::ObjectReader& reader) {
    auto metadata = detail::read_job_metadata(reader);
    reader.finish();
    return metadata;
  });
}

Result<ClusterSpec> cluster_spec_from_json(const nlohmann::json& json) {
  return read_json<ClusterSpec>(json, "spec", "cluster spec", detail::read_cluster_spec);
}

Result<AlertChannelSpec> alert_channel_spec_from_json(const nlohmann::json& json) {
  return read_json<AlertChannelSpec>(json, "spec", "alert channel spec", detail::read_alert_channel_spec);
}

} // namespace sp::core
