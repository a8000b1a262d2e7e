#include "sp/core/render.hpp"

#include "object_reader.hpp"

#include <fmt/format.h>

namespace sp::core {

namespace {

using MutableVisitor = std::function<void(const std::string& field, std::string& text)>;

// One walk per kind, over mutable specs; the const overloads and the
// renderers below all go through it, so the list of templated fields exists once.
void walk(JobSpec& spec, const MutableVisitor& visit) {
  if (spec.entry_class) visit("spec.entryClass", *spec.entry_class);
  for (std::size_t i = 0; i < spec.args.size(); ++i) visit(fmt::format("spec.args[{}]", i), spec.args[i]);
  for (auto& [key, value] : spec.flink_configuration) {
    visit(detail::join_field("spec.flinkConfiguration", key), value);
  }
  if (spec.state.savepoint_dir) visit("spec.state.savepointDir", *spec.state.savepoint_dir);
  if (spec.artifact.jar) visit("spec.artifact.jar", *spec.artifact.jar);
  if (spec.sql && spec.sql->file) visit("spec.sql.file", *spec.sql->file);
  if (spec.sql && spec.sql->path) visit("spec.sql.path", *spec.sql->path);
}

void walk(ClusterSpec& spec, const MutableVisitor& visit) {
  if (spec.url) visit("spec.url", *spec.url);
  if (spec.savepoint_dir) visit("spec.savepointDir", *spec.savepoint_dir);
  if (spec.state_root) visit("spec.state.root", *spec.state_root);
  for (auto& [key, value] : spec.flink_configuration) {
    visit(detail::join_field("spec.flinkConfiguration", key), value);
  }
  if (spec.yarn.resource_manager) visit("spec.yarn.resourceManager", *spec.yarn.resource_manager);
  if (spec.kubernetes.rest_address) visit("spec.kubernetes.restAddress", *spec.kubernetes.rest_address);
  if (spec.storage.hdfs) {
    visit("spec.storage.hdfs.webhdfs", spec.storage.hdfs->webhdfs);
    if (spec.storage.hdfs->user) visit("spec.storage.hdfs.user", *spec.storage.hdfs->user);
  }
  if (spec.storage.s3) {
    visit("spec.storage.s3.endpoint", spec.storage.s3->endpoint);
    visit("spec.storage.s3.region", spec.storage.s3->region);
  }
}

void walk(ProjectSpec& spec, const MutableVisitor& visit) {
  visit("spec.url", spec.url);
  visit("spec.ref", spec.ref);
}

template <typename Spec> void visit_const(const Spec& spec, const TemplateVisitor& visit) {
  Spec copy = spec;
  walk(copy, [&](const std::string& field, std::string& text) { visit(field, text); });
}

template <typename Spec>
Result<Rendered<Spec>> render(const std::string& noun, const std::string& name, const Spec& spec,
                              const SubstitutionContext& context) {
  Rendered<Spec> rendered{spec, spec, {}, false};
  Resolver resolver(context);
  walk(rendered.clear,
       [&](const std::string& field, std::string& text) { text = resolver.resolve(field, text).clear; });
  // Masked values come from a second pass over the original, field by field in the same order.
  Resolver masking(context);
  walk(rendered.masked,
       [&](const std::string& field, std::string& text) { text = masking.resolve(field, text).masked; });
  const std::string subject = noun + " " + name;
  if (auto error = resolver.error(fmt::format("rendering {} in environment {}", subject, context.environment),
                                  subject)) {
    return std::unexpected(*error);
  }
  rendered.uses = resolver.uses();
  rendered.uses_secret = resolver.uses_secret();
  return rendered;
}

} // namespace

// The inline script is a template too, but rendering leaves it as written:
// sp renders a script where it reads it (render_sql), whatever its source.
void for_each_template_field(const JobSpec& spec, const TemplateVisitor& visit) {
  visit_const(spec, visit);
  if (spec.sql && spec.sql->inline_text) visit("spec.sql.inline", *spec.sql->inline_text);
}
void for_each_template_field(const ClusterSpec& spec, const TemplateVisitor& visit) {
  visit_const(spec, visit);
}
void for_each_template_field(const ProjectSpec& spec, const TemplateVisitor& visit) {
  visit_const(spec, visit);
}

Result<ResolvedText> render_sql(const std::string& job, const std::string& source, std::string_view text,
                                const SubstitutionContext& context) {
  Resolver resolver(context);
  auto resolved = resolver.resolve(source, text);
  const std::string subject = "job " + job;
  if (auto error = resolver.error(
          fmt::format("rendering the SQL of {} in environment {}", subject, context.environment), subject)) {
    return std::unexpected(*error);
  }
  return resolved;
}

Builtins job_builtins(const std::string& job, const std::string& environment, const std::string& cluster,
                      std::optional<std::string> release) {
  return {
      {"sp.job", job}, {"sp.env", environment}, {"sp.cluster", cluster}, {"sp.release", std::move(release)}};
}

Builtins cluster_builtins(const std::string& cluster, const std::string& environment) {
  return {{"sp.env", environment}, {"sp.cluster", cluster}};
}

Result<Rendered<JobSpec>> render_job(const std::string& name, const JobSpec& spec,
                                     const SubstitutionContext& context) {
  return render("job", name, spec, context);
}

Result<Rendered<ClusterSpec>> render_cluster(const std::string& name, const ClusterSpec& spec,
                                             const SubstitutionContext& context) {
  return render("cluster", name, spec, context);
}

} // namespace sp::core
