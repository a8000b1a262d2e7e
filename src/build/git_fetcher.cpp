// The libgit2 SourceFetcher: clone = init + fetch, so an interrupted clone is
// resumed by the next fetch instead of leaving a broken workspace behind.
#include "sp/build/source.hpp"

#include "git_handles.hpp"
#include "sp/util/redact.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <system_error>

namespace sp::build {

namespace {

using Clock = std::chrono::steady_clock;

// What the callbacks learn during one fetch, read afterwards to explain errors.
struct FetchContext {
  const SourceRequest* request = nullptr;
  bool token_offered = false;
  bool key_offered = false;
  bool rejected = false;           // asked again after we offered our credentials
  bool asked_unconfigured = false; // asked, and the project has no credentials of that kind
  std::optional<std::string> missing_env;
  Clock::time_point last_progress{};
};

const char* or_default(const char* user, const char* fallback) {
  return user != nullptr && *user != '\0' ? user : fallback;
}

extern "C" int acquire_credentials(git_credential** out, const char* /*url*/, const char* username_from_url,
                                   unsigned int allowed, void* payload) {
  auto& context = *static_cast<FetchContext*>(payload);
  const auto& auth = context.request->auth;
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0 && auth.token_env) {
    if (context.token_offered) {
      context.rejected = true;
      return GIT_EAUTH;
    }
    const auto token = context.request->env(*auth.token_env);
    if (!token || token->empty()) {
      context.missing_env = *auth.token_env;
      return GIT_EUSER;
    }
    context.token_offered = true;
    // Hosting services take a token as the password with any user name.
    return git_credential_userpass_plaintext_new(out, or_default(username_from_url, "x-access-token"),
                                                 token->c_str());
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) != 0 && auth.ssh_key) {
    if (context.key_offered) {
      context.rejected = true;
      return GIT_EAUTH;
    }
    context.key_offered = true;
    const std::string public_key = *auth.ssh_key + ".pub";
    std::error_code ignored;
    const bool has_public = std::filesystem::exists(public_key, ignored);
    return git_credential_ssh_key_new(out, or_default(username_from_url, "git"),
                                      has_public ? public_key.c_str() : nullptr, auth.ssh_key->c_str(),
                                      nullptr);
  }
  if ((allowed & GIT_CREDENTIAL_USERNAME) != 0) {
    return git_credential_username_new(out, or_default(username_from_url, "git"));
  }
  context.asked_unconfigured = true;
  return GIT_PASSTHROUGH;
}

extern "C" int report_progress(const git_indexer_progress* stats, void* payload) {
  auto& context = *static_cast<FetchContext*>(payload);
  const auto& on_progress = context.request->on_progress;
  if (!on_progress) return 0;
  const auto now = Clock::now();
  const bool done = stats->received_objects == stats->total_objects;
  if (!done && now - context.last_progress < std::chrono::milliseconds(100)) return 0;
  context.last_progress = now;
  on_progress({stats->received_objects, stats->total_objects, stats->received_bytes});
  return 0;
}

std::string last_git_message(int code) {
  const git_error* last = git_error_last();
  if (last == nullptr || last->message == nullptr || *last->message == '\0') {
    return "libgit2 error " + std::to_string(code);
  }
  return util::redact_urls(last->message);
}

// libgit2 reports a refused or failed TCP connect as an OS error, which is
// otherwise also what a disk failure looks like; the message tells them apart.
bool is_connection_failure(int klass) {
  if (klass != GIT_ERROR_OS) return false;
  const git_error* last = git_error_last();
  const std::string_view message = last != nullptr && last->message != nullptr ? last->message : "";
  for (const std::string_view sign :
       {"failed to connect", "failed to resolve", "timed out", "Connection reset", "Connection refused",
        "Network is unreachable", "No route to host"}) {
    if (message.find(sign) != std::string_view::npos) return true;
  }
  return false;
}

// Maps a libgit2 failure to sp's exit codes (SPEC.md section 10).
Error fetch_error(int code, const std::string& doing, const FetchContext& context) {
  const auto& auth = context.request->auth;
  if (context.missing_env) {
    return Error(ErrorKind::refused, doing,
                 "environment variable " + *context.missing_env + " (the project's token) is not set",
                 "export it before running sp; its value is never stored");
  }
  if (context.rejected || ((context.token_offered || context.key_offered) && code == GIT_EAUTH)) {
    const std::string source = context.token_offered ? "the token in $" + auth.token_env.value_or("?")
                                                     : "the SSH key " + auth.ssh_key.value_or("?");
    return Error(ErrorKind::external, doing, "authentication failed: the server rejected " + source,
                 "check that the credentials are valid and allowed to read this repository");
  }
  if (context.asked_unconfigured || code == GIT_EAUTH) {
    return Error(
        ErrorKind::external, doing,
        "authentication failed: the server wants credentials and none (or no more) are configured (" +
            last_git_message(code) + ")",
        "give the project a token (--token-env VAR) or an SSH key (--ssh-key PATH)");
  }
  const git_error* last = git_error_last();
  const int klass = last != nullptr ? last->klass : GIT_ERROR_NONE;
  if (code == GIT_ECERTIFICATE) {
    return Error(ErrorKind::external, doing,
                 "the server's certificate was not accepted: " + last_git_message(code));
  }
  if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL || klass == GIT_ERROR_SSH ||
      is_connection_failure(klass)) {
    return Error(ErrorKind::unreachable, doing, last_git_message(code),
                 "check the URL and the network; the remote may be down");
  }
  return Error(ErrorKind::external, doing, last_git_message(code));
}

Error git_failure(int code, const std::string& doing) {
  return Error(ErrorKind::failure, doing, last_git_message(code));
}

bool is_local_path(const std::string& url) {
  return url.starts_with('/') || url.starts_with("./") || url.starts_with("../") ||
         url.starts_with("file://");
}

// The workspace belongs to sp: anything there that is not a usable
// repository (a half-made clone from a killed run, stray files) is replaced.
Result<git::Repository> open_workspace(const std::filesystem::path& dir) {
  git_repository* raw = nullptr;
  std::error_code ignored;
  if (std::filesystem::exists(dir / ".git", ignored) &&
      git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0) {
    return git::Repository(raw);
  }
  // A stale workspace that cannot be cleared would be built from as it is.
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (!error) std::filesystem::create_directories(dir.parent_path(), error);
  if (error) return fail(ErrorKind::failure, "replacing workspace " + dir.string(), error.message());
  if (const int rc = git_repository_init(&raw, dir.c_str(), 0); rc != 0) {
    return std::unexpected(git_failure(rc, "creating workspace " + dir.string()));
  }
  return git::Repository(raw);
}

Result<void> fetch(git_repository* repository, const SourceRequest& request, const std::string& doing) {
  // Anonymous: the URL (and any credentials in it) is never written to .git/config.
  git_remote* raw = nullptr;
  if (const int rc = git_remote_create_anonymous(&raw, repository, request.url.c_str()); rc != 0) {
    return std::unexpected(Error(ErrorKind::usage, doing, last_git_message(rc)));
  }
  git::Remote remote(raw);
  FetchContext context;
  context.request = &request;
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks.credentials = acquire_credentials;
  options.callbacks.transfer_progress = report_progress;
  options.callbacks.payload = &context;
  options.prune = GIT_FETCH_PRUNE;
  // Tags come through the explicit refspec below, force-updated like branches.
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  std::array<char*, 2> specs{const_cast<char*>("+refs/heads/*:refs/remotes/origin/*"),
                             const_cast<char*>("+refs/tags/*:refs/tags/*")};
  const git_strarray refspecs{specs.data(), specs.size()};
  if (const int rc = git_remote_fetch(remote.get(), &refspecs, &options, "sp: fetch"); rc != 0) {
    return std::unexpected(fetch_error(rc, doing, context));
  }
  return {};
}

bool looks_like_sha(const std::string& ref) {
  if (ref.size() < 4 || ref.size() > GIT_OID_HEXSZ) return false;
  for (const char c : ref) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// Branches win over tags of the same name, as in `git checkout`.
Result<git::Commit> resolve(git_repository* repository, const std::string& ref,
                            const std::string& shown_url) {
  std::vector<std::string> names;
  if (ref.starts_with("refs/heads/")) {
    names.push_back("refs/remotes/origin/" + ref.substr(11));
  } else if (ref.starts_with("refs/")) {
    names.push_back(ref);
  } else {
    names.push_back("refs/remotes/origin/" + ref);
    names.push_back("refs/tags/" + ref);
  }
  for (const auto& name : names) {
    git_reference* found = nullptr;
    if (git_reference_lookup(&found, repository, name.c_str()) != 0) continue;
    git::Reference owned(found);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, found, GIT_OBJECT_COMMIT) == 0) {
      return git::Commit(reinterpret_cast<git_commit*>(peeled));
    }
  }
  if (looks_like_sha(ref)) {
    git_object* object = nullptr;
    if (git_revparse_single(&object, repository, ref.c_str()) == 0) {
      git::Object owned(object);
      git_object* peeled = nullptr;
      if (git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0) {
        return git::Commit(reinterpret_cast<git_commit*>(peeled));
      }
    }
  }
  return fail(ErrorKind::not_found, "finding ref '" + ref + "' in " + shown_url,
              "it is not a branch, tag or commit there",
              "a commit must be reachable from a branch or tag of the remote");
}

core::CommitInfo describe_commit(const git_commit* commit) {
  std::array<char, GIT_OID_HEXSZ + 1> sha{};
  git_oid_tostr(sha.data(), sha.size(), git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  const char* subject = git_commit_summary(const_cast<git_commit*>(commit));
  return {sha.data(), std::string(author->name) + " <" + author->email + ">",
          subject != nullptr ? subject : ""};
}

class GitFetcher final : public SourceFetcher {
public:
  Result<core::CommitInfo> checkout(const SourceRequest& request) override {
    const std::string shown_url = util::redact_urls(request.url);
    const std::string doing = "fetching " + shown_url;
    std::error_code ignored;
    if (is_local_path(request.url)) {
      const std::string path = request.url.starts_with("file://") ? request.url.substr(7) : request.url;
      if (!std::filesystem::exists(path, ignored)) {
        return fail(ErrorKind::not_found, doing, "no such repository on this machine");
      }
    }
    auto repository = open_workspace(request.checkout_dir);
    if (!repository) return std::unexpected(repository.error());
    if (auto fetched = fetch(repository->get(), request, doing); !fetched) {
      return std::unexpected(fetched.error());
    }
    auto commit = resolve(repository->get(), request.ref, shown_url);
    if (!commit) return std::unexpected(commit.error());

    // A clean tree at the commit: untracked and ignored files go too, so an
    // old jar in target/ can never be taken for this build's artifact.
    git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
    options.checkout_strategy =
        GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
    const std::string checking_out = "checking out " + request.ref + " in " + request.checkout_dir.string();
    auto* as_object = reinterpret_cast<git_object*>(commit->get());
    if (const int rc = git_checkout_tree(repository->get(), as_object, &options); rc != 0) {
      return std::unexpected(git_failure(rc, checking_out));
    }
    if (const int rc = git_repository_set_head_detached(repository->get(), git_commit_id(commit->get()));
        rc != 0) {
      return std::unexpected(git_failure(rc, checking_out));
    }
    return describe_commit(commit->get());
  }
};

} // namespace

GitLibrary::GitLibrary() { git_libgit2_init(); }

std::string libgit2_version() {
  int major = 0, minor = 0, patch = 0;
  git_libgit2_version(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

GitLibrary::~GitLibrary() { git_libgit2_shutdown(); }

std::unique_ptr<SourceFetcher> make_git_fetcher(const GitLibrary& /*library*/) {
  return std::make_unique<GitFetcher>();
}

} // namespace sp::build
