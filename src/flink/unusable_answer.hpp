// The error for a JobManager answer sp cannot use: well-formed HTTP whose
// body is not what Flink sends (garbage, another shape, a proxy's page).
// External (exit 6), like any other answer the JobManager gives that sp
// cannot act on; the message names the request, never a parser's words alone.
#pragma once

#include "sp/util/error.hpp"

#include <string>
#include <string_view>

namespace sp::flink {

inline std::unexpected<Error> unusable_answer(std::string_view request, std::string_view detail) {
  return fail(ErrorKind::external, "reading " + std::string(request),
              "the JobManager's answer is not the JSON Flink sends: " + std::string(detail));
}

} // namespace sp::flink
