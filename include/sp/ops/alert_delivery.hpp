// Delivering one alert to one channel (SPEC.md sections 1, 7). The watch
// loop decides when to alert and which channels; this carries one out.
#pragma once

#include "sp/core/alert.hpp"
#include "sp/core/alert_channel.hpp"
#include "sp/ops/context.hpp"

#include <string>

namespace sp::ops {

// Delivers `alert` to the channel, whatever its `events` (the caller checks
// core::channel_takes). Uses the context's transport, process-runner and
// mail-transport factories, its clock (for the pause between webhook tries)
// and its env (headerEnv, userEnv, passwordEnv).
//
// - webhook: POST of the JSON document, with Authorization from headerEnv.
//   Tried up to 3 times, 1 s then 2 s apart, while the server cannot be
//   reached or answers 5xx or 429; any other non-2xx answer is final.
// - command: argv without a shell, the JSON document on stdin, ended after
//   30 s; a non-zero exit fails with its last lines of output.
// - email: one message over SMTP to every address in `to`.
//
// Errors: the server could not be reached 5 (unreachable); it answered no,
// or the command failed 6 (external); an unset variable 4 (refused).
// Messages name the channel and never carry secrets: no header or password
// values, and of a webhook URL (whose path is often a token) only the host.
Result<void> deliver_alert(const OpsContext& context, const std::string& channel_name,
                           const core::AlertChannelSpec& channel, const core::Alert& alert);

} // namespace sp::ops
