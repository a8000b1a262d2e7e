// Small pieces several commands share; no business logic.
#pragma once

#include "sp/cli/invocation.hpp"
#include "sp/core/manifest_validation.hpp"
#include "sp/ops/objects.hpp"
#include "sp/store/declarative.hpp"
#include "sp/store/environments.hpp"

#include <string>

namespace sp::cli {

// The acting user and host, now: recorded on events.
store::Actor current_actor();

// The environment's row; not_found with a did-you-mean hint when it is missing.
store::EnvironmentRow require_environment(store::Database& database, const std::string& name);

using ops::missing_object;

// The objects that exist; before `sp init` that is only the default environment
// (read-only commands never create the database).
core::ObjectSet existing_objects(const Invocation& invocation);

// ops::create_object as the current user, throwing its error.
void create_object(store::Database& database, core::Manifest manifest, const std::string& doing);

// A result shown as YAML when the user asked for a table: for documents, not rows.
void print_document(const Invocation& invocation, const Data& data);

} // namespace sp::cli
