#include "sp/core/restore.hpp"

#include "sp/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::core {

namespace {

constexpr util::EnumNames<PointKind, 3> point_kind_names{{
    {PointKind::checkpoint, "checkpoint"},
    {PointKind::savepoint, "savepoint"},
    {PointKind::stop_savepoint, "stop-savepoint"},
}};

using Verdict = CandidateOutcome::Verdict;

std::string describe_point(const KnownPoint& point) {
  return fmt::format("{} {}", to_string(point.kind), point.path);
}

RestoreDecision refuse(RestoreDecision decision, std::string reason) {
  decision.action = RestoreDecision::Action::refuse;
  decision.chosen.reset();
  decision.reason = std::move(reason);
  return decision;
}

bool has_history(const RestoreFacts& facts) { return facts.has_run_before || !facts.points.empty(); }

RestoreDecision cannot_check(RestoreDecision decision, std::string reason) {
  decision.action = RestoreDecision::Action::cannot_check;
  decision.chosen.reset();
  decision.reason = std::move(reason);
  return decision;
}

std::string describe_unchecked(const RestoreFacts& facts) {
  std::string text;
  for (const auto& what : facts.unchecked) text += fmt::format("\n  {}", what);
  return text;
}

// SPEC 5.4: a point of an older run is chosen only when the newer run left
// nothing valid, and the decision says so first.
std::string fallback_note(const RestoreDecision& decision, const RestoreFacts& facts) {
  if (!facts.last_run_id || !decision.chosen || decision.chosen->run_id == facts.last_run_id) return {};
  const std::string from =
      decision.chosen->run_id ? fmt::format("run {}", *decision.chosen->run_id) : "no known run";
  return fmt::format("falling back to an older point ({}): run {} left no valid checkpoint or savepoint",
                     from, *facts.last_run_id);
}

// SPEC 5.5: a chosen point older than state.maxAge is refused unless allowed.
RestoreDecision apply_max_age(RestoreDecision decision, const RestoreRequest& request) {
  if (!request.max_age_ms || !decision.chosen || decision.chosen->id == 0) return decision;
  const std::int64_t age = request.now_ms - decision.chosen->completion_ms;
  if (age <= *request.max_age_ms) return decision;
  if (request.allow_old_state) {
    decision.reason += fmt::format(" (older than state.maxAge {}: {} old, allowed by --allow-old-state)",
                                   describe_age(*request.max_age_ms), describe_age(age));
    return decision;
  }
  return refuse(std::move(decision),
                fmt::format("the newest valid point is {} old, older than state.maxAge {}; "
                            "pass --allow-old-state to use it anyway",
                            describe_age(age), describe_age(*request.max_age_ms)));
}

RestoreDecision decide_automatic(const RestoreRequest& request, const RestoreFacts& facts,
                                 const PathChecker& check_path) {
  RestoreDecision decision;
  bool found = false;
  for (auto& point : newest_first(facts.points)) {
    CandidateOutcome outcome{point, Verdict::not_tried, {}};
    if (found) {
      outcome.reason = "a newer point was chosen";
    } else if (point.disposed) {
      outcome.verdict = Verdict::skipped;
      outcome.reason = "disposed";
    } else if (!point.valid) {
      outcome.verdict = Verdict::skipped;
      outcome.reason = "marked invalid earlier: " + point.invalid_reason;
    } else {
      const PathCheck check = check_path(point.path);
      if (check.status == PathStatus::unreachable) {
        outcome.verdict = Verdict::not_tried;
        outcome.reason = "could not be checked: " + check.detail;
        decision.candidates.push_back(std::move(outcome));
        decision.newly_invalid.clear();
        return cannot_check(std::move(decision),
                            fmt::format("cannot check {}: {}; nothing was marked and nothing was started",
                                        describe_point(point), check.detail));
      }
      if (check.status == PathStatus::invalid) {
        outcome.verdict = Verdict::invalid;
        outcome.reason = check.detail;
        decision.newly_invalid.push_back(outcome);
      } else {
        found = true;
        outcome.verdict = Verdict::chosen;
        outcome.reason = check.detail;
        decision.chosen = point;
        decision.unverified = check.status == PathStatus::unverified;
      }
    }
    decision.candidates.push_back(std::move(outcome));
  }
  if (found) {
    decision.action = RestoreDecision::Action::restore;
    decision.warning = fallback_note(decision, facts);
    if (!decision.warning.empty() && !facts.unchecked.empty()) {
      // The reason first: the order in which arguments are evaluated is unspecified.
      auto reason = fmt::format("{}, and what could hold newer state could not be checked:{}",
                                decision.warning, describe_unchecked(facts));
      return cannot_check(std::move(decision), std::move(reason));
    }
    decision.reason =
        fmt::format("{}{}restoring the newest valid point: {}{}", decision.warning,
                    decision.warning.empty() ? "" : "; ", describe_point(*decision.chosen),
                    decision.unverified ? " (unverified: sp cannot look into this scheme)" : "");
    return apply_max_age(std::move(decision), request);
  }
  if (!has_history(facts) && !facts.unchecked.empty()) {
    return cannot_check(std::move(decision),
                        "cannot tell whether the job ran before, so it is not started from empty state; "
                        "could not check:" +
                            describe_unchecked(facts));
  }
  if (!has_history(facts)) {
    decision.action = RestoreDecision::Action::start_fresh;
    decision.reason = "first start: the job has never run, so there is no state to restore";
    return decision;
  }
  std::string tried;
  for (const auto& candidate : decision.candidates) {
    tried += fmt::format("\n  {}: {}", describe_point(candidate.point), candidate.reason);
  }
  if (decision.candidates.empty()) tried = "\n  (sp knows no restore point for this job)";
  return refuse(std::move(decision),
                "the job has run before but no valid restore point was found; starting from empty "
                "state would lose it. Tried:" +
                    tried + "\nUse --restore PATH, or --restore none --force to start without state");
}

RestoreDecision decide_explicit(const RestoreRequest& request, const RestoreFacts& facts,
                                const PathChecker& check_path) {
  RestoreDecision decision;
  KnownPoint point;
  point.kind = PointKind::savepoint;
  point.path = request.explicit_path;
  for (const auto& known : facts.points) {
    if (known.path == request.explicit_path) point = known;
  }
  const PathCheck check = check_path(point.path);
  CandidateOutcome outcome{point, Verdict::chosen, check.detail};
  if (check.status == PathStatus::unreachable) {
    outcome.verdict = Verdict::not_tried;
    decision.candidates.push_back(outcome);
    return cannot_check(std::move(decision), fmt::format("cannot check the requested restore path {}: {}",
                                                         point.path, check.detail));
  }
  if (check.status == PathStatus::invalid) {
    outcome.verdict = Verdict::invalid;
    if (point.id != 0) decision.newly_invalid.push_back(outcome);
    decision.candidates.push_back(outcome);
    return refuse(std::move(decision),
                  fmt::format("the requested restore path {} is not valid: {}", point.path, check.detail));
  }
  decision.candidates.push_back(outcome);
  decision.action = RestoreDecision::Action::restore;
  decision.chosen = point;
  decision.unverified = check.status == PathStatus::unverified;
  decision.reason = fmt::format("restoring the requested path {}{}", point.path,
                                decision.unverified ? " (unverified: sp cannot look into this scheme)" : "");
  return apply_max_age(std::move(decision), request);
}

} // namespace

std::string_view to_string(PointKind kind) { return util::name_of(point_kind_names, kind); }

std::optional<PointKind> point_kind_from_string(std::string_view text) {
  return util::value_named(point_kind_names, text);
}

std::optional<std::string> local_path_of(const std::string& path) {
  if (path.starts_with("file://")) {
    std::string rest = path.substr(7);
    // file:///x has an empty authority; file://localhost/x names this host.
    if (rest.starts_with("/")) return rest;
    if (rest.starts_with("localhost/")) return rest.substr(9);
    return std::nullopt;
  }
  if (path.starts_with("file:")) return path.substr(5);
  if (path.starts_with("/")) return path;
  return std::nullopt;
}

std::string canonical_location(std::string_view uri) {
  std::string location;
  if (auto local = local_path_of(std::string(uri))) {
    location = "file:" + *local;
  } else if (const auto empty_authority = uri.find(":///");
             empty_authority != std::string_view::npos && uri.find('/') > empty_authority) {
    location = std::string(uri.substr(0, empty_authority + 1)) + std::string(uri.substr(empty_authority + 3));
  } else {
    location = uri;
  }
  while (location.ends_with('/') && !location.ends_with(":/")) location.pop_back();
  return location;
}

std::string restore_location(std::string_view uri) {
  auto location = canonical_location(uri);
  constexpr std::string_view metadata = "/_metadata";
  if (location.ends_with(metadata)) location.resize(location.size() - metadata.size());
  return location;
}

namespace {

// "hdfs://nn:8020/p" → {"hdfs", "nn:8020", "/p"}; "hdfs:/p" → {"hdfs", "", "/p"}.
struct LocationParts {
  std::string_view scheme, authority, path;
};
std::optional<LocationParts> parts_of(std::string_view location) {
  const auto colon = location.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  LocationParts parts{.scheme = location.substr(0, colon)};
  auto rest = location.substr(colon + 1);
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    parts.authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  }
  parts.path = rest;
  return parts;
}

} // namespace

bool same_restore_location(std::string_view a, std::string_view b) {
  const auto left = restore_location(a);
  const auto right = restore_location(b);
  if (left == right) return true;
  const auto l = parts_of(left);
  const auto r = parts_of(right);
  return l && r && l->scheme == r->scheme && l->path == r->path &&
         (l->authority.empty() || r->authority.empty());
}

std::vector<KnownPoint> newest_first(std::vector<KnownPoint> points) {
  std::ranges::stable_sort(points, [](const KnownPoint& a, const KnownPoint& b) {
    if (a.completion_ms != b.completion_ms) return a.completion_ms > b.completion_ms;
    return a.id > b.id;
  });
  return points;
}

RestoreDecision decide_restore(const RestoreRequest& request, const RestoreFacts& facts,
                               const PathChecker& check_path) {
  switch (request.mode) {
  case RestoreMode::automatic:
    return decide_automatic(request, facts, check_path);
  case RestoreMode::explicit_path:
    return decide_explicit(request, facts, check_path);
  case RestoreMode::none: {
    RestoreDecision decision;
    if (!has_history(facts) && !facts.unchecked.empty() && !request.force) {
      decision = cannot_check(std::move(decision),
                              "--restore none: cannot tell whether the job ran before; add --force to start "
                              "without state anyway. Could not check:" +
                                  describe_unchecked(facts));
    } else if (!has_history(facts)) {
      decision.action = RestoreDecision::Action::start_fresh;
      decision.reason = "--restore none: the job has never run, starting without state";
    } else if (request.force) {
      decision.action = RestoreDecision::Action::start_fresh;
      decision.reason = "--restore none --force: starting without state although the job has run before";
    } else {
      decision =
          refuse(std::move(decision), "--restore none would discard the state of a job that has run before; "
                                      "add --force to do it on purpose");
    }
    return decision;
  }
  }
  return {};
}

std::string describe_age(std::int64_t milliseconds) {
  const std::int64_t seconds = std::max<std::int64_t>(milliseconds, 0) / 1000;
  const std::int64_t days = seconds / 86400, hours = seconds % 86400 / 3600;
  const std::int64_t minutes = seconds % 3600 / 60, rest = seconds % 60;
  if (days > 0) return hours > 0 ? fmt::format("{}d {}h", days, hours) : fmt::format("{}d", days);
  if (hours > 0) return minutes > 0 ? fmt::format("{}h {}m", hours, minutes) : fmt::format("{}h", hours);
  if (minutes > 0) return rest > 0 ? fmt::format("{}m {}s", minutes, rest) : fmt::format("{}m", minutes);
  return fmt::format("{}s", rest);
}

} // namespace sp::core
