// What writing a declarative object did.
#pragma once

namespace sp::store {

enum class UpsertOutcome { created, configured, unchanged };

} // namespace sp::store
