// Each kind's spec described once, against ObjectReader: the same code reads
// YAML files and JSON from the database. Readers check shape and types only;
// what the values mean (a remote cluster needs a url, names must exist) is
// validation's job (manifest_validation.hpp), which apply and diff share.
#pragma once

#include "object_reader.hpp"
#include "sp/core/manifest.hpp"

namespace sp::core::detail {

EnvironmentSpec read_environment_spec(ObjectReader& reader);
FlinkSpec read_flink_spec(ObjectReader& reader); // home only: the version is detected, not written
ProjectSpec read_project_spec(ObjectReader& reader);
AlertChannelSpec read_alert_channel_spec(ObjectReader& reader);
ClusterSpec read_cluster_spec(ObjectReader& reader);
JobSpec read_job_spec(ObjectReader& reader);
// The job-only part of metadata (owner, labels); the caller reads name and environment.
JobMetadata read_job_metadata(ObjectReader& reader);

} // namespace sp::core::detail
