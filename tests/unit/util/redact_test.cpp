#include "sp/util/redact.hpp"

#include <catch2/catch.hpp>

using sp::util::redact_urls;
using sp::util::url_for_messages;
using sp::util::url_origin;

TEST_CASE("URL credentials are masked, everything else is kept", "[util][redact]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"https://alice:s3cret@git.example.com/org/repo.git",
       "https://alice:******@git.example.com/org/repo.git"},
      {"https://ghp_token123@github.com/o/r", "https://******@github.com/o/r"},
      {"http://user:p%40ss@host:8080", "http://user:******@host:8080"},
      {"ssh://git@host/repo.git", "ssh://git@host/repo.git"},
      {"ssh://git:pw@host/repo.git", "ssh://git:******@host/repo.git"},
      {"git://host/repo.git", "git://host/repo.git"},
      {"/srv/git/repo.git", "/srv/git/repo.git"},
      {"https://host/path@v1", "https://host/path@v1"},
      {"", ""},
      {"no url here", "no url here"},
      // A password with '@' in it: the last '@' ends the user info.
      {"https://u:p@ss@host/x", "https://u:******@host/x"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    CHECK(redact_urls(input) == expected);
  }
}

TEST_CASE("every URL inside a message is masked", "[util][redact]") {
  CHECK(redact_urls("failed to fetch 'https://a:b@h/x' then https://tok@h2/y: 401") ==
        "failed to fetch 'https://a:******@h/x' then https://******@h2/y: 401");
  CHECK(redact_urls("see HTTPS://u:p@h") == "see HTTPS://u:******@h");
}

TEST_CASE("a URL for messages drops its query and masks its credentials", "[util][redact]") {
  CHECK(url_for_messages("http://alice:secret@jm:8081/jobs?token=abc") == "http://alice:******@jm:8081/jobs");
  CHECK(url_for_messages("https://tok@hooks.example/x") == "https://******@hooks.example/x");
  CHECK(url_for_messages("http://jm:8081/jobs/overview") == "http://jm:8081/jobs/overview");
}

TEST_CASE("a URL's origin keeps only scheme, host and port", "[util][redact]") {
  CHECK(url_origin("https://hooks.slack.com/services/T0/B0/secret") == "https://hooks.slack.com");
  CHECK(url_origin("https://user:pw@chat.example:8443/hook/abc?x=1") == "https://chat.example:8443");
  CHECK(url_origin("http://[::1]:9000#frag") == "http://[::1]:9000");
  CHECK(url_origin("hooks.example/secret") == "******");
}
