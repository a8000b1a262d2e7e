#include "sp/util/progress.hpp"

#include <catch2/catch.hpp>

using namespace sp::util;
using std::chrono::milliseconds;

TEST_CASE("elapsed time reads as a counter", "[util][progress]") {
  CHECK(format_elapsed(milliseconds(0)) == "0.0s");
  CHECK(format_elapsed(milliseconds(450)) == "0.4s");
  CHECK(format_elapsed(milliseconds(12'000)) == "12.0s");
  CHECK(format_elapsed(milliseconds(59'999)) == "59.9s");
  CHECK(format_elapsed(milliseconds(65'000)) == "1m05s");
  CHECK(format_elapsed(milliseconds(3'720'000)) == "1h02m");
  CHECK(format_elapsed(milliseconds(-5)) == "0.0s");
}

TEST_CASE("bytes read in binary units", "[util][progress]") {
  CHECK(human_bytes(0) == "0 B");
  CHECK(human_bytes(1023) == "1023 B");
  CHECK(human_bytes(4096) == "4.0 KiB");
  CHECK(human_bytes(1536 * 1024) == "1.5 MiB");
  CHECK(human_bytes(std::uint64_t{2} << 30) == "2.0 GiB");
}

TEST_CASE("a progress line fits its width, cutting the detail first", "[util][progress]") {
  CHECK(progress_line("sp: waiting for orders", "", milliseconds(3200), 80) ==
        "sp: waiting for orders  3.2s");
  CHECK(progress_line("build 7", "[INFO] Compiling 12 files", milliseconds(1000), 80) ==
        "build 7: [INFO] Compiling 12 files  1.0s");
  const auto cut =
      progress_line("build 7", "[INFO] Downloading a very long artifact name", milliseconds(1000), 30);
  CHECK(cut == "build 7: [INFO] Downl...  1.0s");
  CHECK(cut.size() == 30);
  // A label longer than the line is cut too; the time always shows.
  CHECK(progress_line("sp: uploading /a/very/long/path/to/the.jar", "", milliseconds(0), 20) ==
        "sp: uploadi...  0.0s");
  // A long label leaves half the line to what moves.
  CHECK(progress_line("build 1: running sh -c a long command line", "step 2", milliseconds(500), 40) ==
        "build 1: running sh -c...: step 2  0.5s");
  for (const std::size_t width : {0UL, 1UL, 5UL, 10UL, 17UL, 40UL}) {
    CHECK(progress_line("label", "detail", milliseconds(1000), width).size() <= width);
  }
}

TEST_CASE("control characters of the detail never reach the terminal", "[util][progress]") {
  CHECK(progress_line("build", "\x1b[31mred\r\tdone  ", milliseconds(0), 80) == "build: [31mred  done  0.0s");
}

TEST_CASE("a cut never splits a UTF-8 character", "[util][progress]") {
  const auto line = progress_line("b", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", milliseconds(0), 16);
  CHECK(line == "b: \xc3\xa9\xc3\xa9...  0.0s");
}

TEST_CASE("the last complete line of chunked output", "[util][progress]") {
  LastLine last;
  CHECK_FALSE(last.feed("[INFO] Scan").has_value());
  CHECK(last.feed("ning\n[INFO] Buil") == "[INFO] Scanning");
  CHECK(last.feed("ding jar\r\n\n") == std::nullopt); // the newest line is blank
  CHECK(last.feed("a\nb\nc\n") == "c");
  CHECK(last.feed("\n") == std::nullopt);
}
