// Owned descriptors and files that appear whole, on a real filesystem.
#include "sp/util/file.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

using namespace sp;

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

} // namespace

TEST_CASE("an Fd closes its descriptor once, when it goes or is reset", "[util][file]") {
  int raw = -1;
  {
    const util::Fd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    REQUIRE(fd.valid());
    raw = fd.get();
    CHECK(is_open(raw));
  }
  CHECK_FALSE(is_open(raw));

  util::Fd first(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  raw = first.get();
  util::Fd second(std::move(first));
  CHECK_FALSE(first.valid()); // NOLINT(bugprone-use-after-move): the moved-from state is the point
  CHECK(second.get() == raw);
  CHECK(second.close() == 0);
  CHECK_FALSE(second.valid());
  CHECK_FALSE(is_open(raw));
  CHECK(second.close() == 0); // closing twice is a no-op, not a second close(2)
}

TEST_CASE("write_all writes everything through a pipe smaller than the data", "[util][file]") {
  std::array<int, 2> ends{};
  REQUIRE(::pipe(ends.data()) == 0);
  util::Fd read_end(ends[0]);
  util::Fd write_end(ends[1]);
  const std::string data(200'000, 'x'); // more than a pipe buffer: several short writes
  std::string received;
  std::thread reader([&] {
    std::array<char, 4096> buffer{};
    for (ssize_t n = 0; (n = ::read(read_end.get(), buffer.data(), buffer.size())) > 0;)
      received.append(buffer.data(), static_cast<std::size_t>(n));
  });
  CHECK(util::write_all(write_end.get(), data) == 0);
  write_end.reset();
  reader.join();
  CHECK(received == data);
}

TEST_CASE("a file written atomically replaces the old one whole and leaves no temporary", "[util][file]") {
  test::TempDir dir;
  const auto path = dir / "sp.prom";
  REQUIRE(util::write_file_atomically(path, "first\n", 0644));
  REQUIRE(util::write_file_atomically(path, "second\n", 0600));
  CHECK(read_text(path) == "second\n");
  CHECK(entries_in(dir.path()) == 1);
  struct stat info{};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("an atomic file dropped before commit leaves the old file as it was", "[util][file]") {
  test::TempDir dir;
  const auto path = dir / "config.yaml";
  REQUIRE(util::write_file_atomically(path, "old\n", 0600));
  {
    auto file = util::AtomicFile::create(path, 0600);
    REQUIRE(file);
    REQUIRE(file->write("half of the new"));
    CHECK(entries_in(dir.path()) == 2); // the temporary beside it
  }
  CHECK(read_text(path) == "old\n");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("an atomic file that cannot be written names the file and fails", "[util][file]") {
  test::TempDir dir;
  const auto path = dir / "missing" / "sp.prom";
  auto written = util::write_file_atomically(path, "x", 0644);
  REQUIRE_FALSE(written);
  CHECK(written.error().kind() == ErrorKind::failure);
  CHECK(written.error().doing() == "writing " + path.string());
  CHECK(written.error().why() == "No such file or directory");

  auto file = util::AtomicFile::create(dir / "once", 0600);
  REQUIRE(file);
  REQUIRE(file->commit());
  CHECK_FALSE(file->write("late")); // nothing to write into after the rename
  CHECK(std::filesystem::exists(dir / "once"));
}
