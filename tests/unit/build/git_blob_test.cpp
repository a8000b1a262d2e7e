// read_file_at_commit on a real repository made with the git command in a
// temporary directory: the object database is the truth, never the work tree.
#include "sp/build/process.hpp"
#include "sp/build/source.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using sp::ErrorKind;

namespace {

// Runs git in `dir` with a fixed identity, so the user's own configuration
// (signing, hooks, default branch) cannot change what the tests see.
std::string git(const std::filesystem::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv{"git"};
  for (const char* setting : {"user.name=Test", "user.email=test@example.com", "commit.gpgsign=false",
                              "init.defaultBranch=main", "core.hooksPath=/dev/null"}) {
    argv.insert(argv.end(), {"-c", setting});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  std::string output;
  auto runner = sp::build::make_process_runner();
  auto result = runner->run({.argv = argv,
                             .working_directory = dir,
                             .timeout = 30s,
                             .on_output = [&output](std::string_view chunk) { output += chunk; }});
  REQUIRE(result.has_value());
  INFO("git " << args.front() << ": " << output);
  REQUIRE(result->exit_code == 0);
  return output;
}

void write(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string head_sha(const std::filesystem::path& dir) {
  auto sha = git(dir, {"rev-parse", "HEAD"});
  while (!sha.empty() && (sha.back() == '\n' || sha.back() == '\r')) sha.pop_back();
  REQUIRE(sha.size() == 40);
  return sha;
}

// Two commits: the first adds job.sql and a nested file; the second changes
// job.sql and adds a symbolic link and a submodule entry (a gitlink).
struct Repository {
  sp::test::TempDir temp;
  std::filesystem::path dir = temp / "checkout";
  std::string first;
  std::string second;

  Repository() {
    std::filesystem::create_directories(dir);
    git(dir, {"init", "-q"});
    write(dir / "job.sql", "SELECT 1;\n");
    write(dir / "sql" / "nested" / "orders.sql", "INSERT INTO orders\r\nSELECT * FROM src;\n");
    git(dir, {"add", "-A"});
    git(dir, {"commit", "-q", "-m", "first"});
    first = head_sha(dir);
    write(dir / "job.sql", "SELECT 2;\n");
    std::filesystem::create_symlink("job.sql", dir / "link.sql");
    git(dir, {"add", "-A"});
    git(dir, {"update-index", "--add", "--cacheinfo", "160000," + first + ",vendor/lib"});
    git(dir, {"commit", "-q", "-m", "second"});
    second = head_sha(dir);
  }
};

sp::Result<std::string> read_at(const sp::build::GitLibrary& library, const Repository& repo,
                                const std::string& commit, const std::string& path) {
  return sp::build::read_file_at_commit(library, repo.dir, commit, path);
}

} // namespace

TEST_CASE("git_blob: a file reads as it was at each commit, by full or abbreviated SHA", "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  CHECK(read_at(library, repo, repo.first, "job.sql").value() == "SELECT 1;\n");
  CHECK(read_at(library, repo, repo.second, "job.sql").value() == "SELECT 2;\n");
  CHECK(read_at(library, repo, repo.first.substr(0, 7), "job.sql").value() == "SELECT 1;\n");
  CHECK(read_at(library, repo, repo.second.substr(0, 12), "job.sql").value() == "SELECT 2;\n");
}

TEST_CASE("git_blob: a nested path reads its bytes exactly, line endings included", "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  const std::string expected = "INSERT INTO orders\r\nSELECT * FROM src;\n";
  CHECK(read_at(library, repo, repo.first, "sql/nested/orders.sql").value() == expected);
  CHECK(read_at(library, repo, repo.second, "sql/nested/orders.sql").value() == expected);
  CHECK(read_at(library, repo, repo.second, "./sql//nested/orders.sql").value() == expected);
}

TEST_CASE("git_blob: the work tree is neither read nor touched", "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  write(repo.dir / "job.sql", "uncommitted\n");
  write(repo.dir / "untracked.sql", "untracked\n");
  CHECK(read_at(library, repo, repo.second, "job.sql").value() == "SELECT 2;\n");
  CHECK(read_at(library, repo, repo.first, "job.sql").value() == "SELECT 1;\n");
  CHECK(read_at(library, repo, repo.second, "untracked.sql").error().kind() == ErrorKind::not_found);
  CHECK(read(repo.dir / "job.sql") == "uncommitted\n");
  CHECK(std::filesystem::exists(repo.dir / "untracked.sql"));
}

TEST_CASE("git_blob: a path absent from the commit is not_found naming the path and the commit",
          "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  const std::string abbreviated = repo.first.substr(0, 8);
  for (const std::string path : {"missing.sql", "sql/nested/missing.sql", "job.sql/inside"}) {
    INFO(path);
    const auto result = read_at(library, repo, abbreviated, path);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind() == ErrorKind::not_found);
    const std::string message = result.error().what();
    CHECK_THAT(message, Catch::Contains(path));
    CHECK_THAT(message, Catch::Contains(abbreviated));
    CHECK_THAT(message, Catch::Contains("no such file"));
  }
  // Added only by the second commit.
  CHECK(read_at(library, repo, repo.first, "link.sql").error().kind() == ErrorKind::not_found);
}

TEST_CASE("git_blob: a directory, submodule or symbolic link is not_found, saying what it is",
          "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  const auto directory = read_at(library, repo, repo.second, "sql/nested");
  REQUIRE_FALSE(directory.has_value());
  CHECK(directory.error().kind() == ErrorKind::not_found);
  CHECK_THAT(directory.error().what(), Catch::Contains("directory") && Catch::Contains("sql/nested"));
  CHECK(read_at(library, repo, repo.second, "sql/").error().kind() == ErrorKind::not_found);

  const auto submodule = read_at(library, repo, repo.second, "vendor/lib");
  REQUIRE_FALSE(submodule.has_value());
  CHECK(submodule.error().kind() == ErrorKind::not_found);
  CHECK_THAT(submodule.error().what(), Catch::Contains("submodule"));

  const auto link = read_at(library, repo, repo.second, "link.sql");
  REQUIRE_FALSE(link.has_value());
  CHECK(link.error().kind() == ErrorKind::not_found);
  CHECK_THAT(link.error().what(), Catch::Contains("symbolic link"));
}

TEST_CASE("git_blob: an unknown commit is not_found, a commit that is no SHA is usage", "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  const auto unknown = read_at(library, repo, "0123456789abcdef0123456789abcdef01234567", "job.sql");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().kind() == ErrorKind::not_found);
  CHECK_THAT(unknown.error().what(), Catch::Contains("0123456789abcdef0123456789abcdef01234567"));
  // A tree is an object but no commit.
  const std::string tree = git(repo.dir, {"rev-parse", "HEAD^{tree}"}).substr(0, 40);
  CHECK(read_at(library, repo, tree, "job.sql").error().kind() == ErrorKind::not_found);
  // Names of refs are not SHAs: the caller pins a commit, not a branch.
  CHECK(read_at(library, repo, "main", "job.sql").error().kind() == ErrorKind::usage);
  CHECK(read_at(library, repo, "", "job.sql").error().kind() == ErrorKind::usage);
  CHECK(read_at(library, repo, "abc", "job.sql").error().kind() == ErrorKind::usage);
}

TEST_CASE("git_blob: a path that leaves the root, is absolute or is empty is usage", "[build][git]") {
  const sp::build::GitLibrary library;
  const Repository repo;
  for (const std::string path : {"../x", "sql/../../x", "sql/..", "/etc/passwd", "", ".", "/"}) {
    INFO(path);
    const auto result = read_at(library, repo, repo.second, path);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind() == ErrorKind::usage);
  }
}

TEST_CASE("git_blob: a missing checkout or a directory that is no repository is not_found", "[build][git]") {
  const sp::build::GitLibrary library;
  const sp::test::TempDir temp;
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  const auto missing = sp::build::read_file_at_commit(library, temp / "absent", sha, "job.sql");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().kind() == ErrorKind::not_found);
  CHECK_THAT(missing.error().what(), Catch::Contains((temp / "absent").string()));

  std::filesystem::create_directories(temp / "plain");
  write(temp / "plain" / "job.sql", "SELECT 1;\n");
  const auto plain = sp::build::read_file_at_commit(library, temp / "plain", sha, "job.sql");
  REQUIRE_FALSE(plain.has_value());
  CHECK(plain.error().kind() == ErrorKind::not_found);
}
