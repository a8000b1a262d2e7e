// Golden-file comparison: the expected text lives in tests/fixtures/golden/.
// Run the tests with SP_UPDATE_GOLDEN=1 to rewrite the files from the actual
// output, then review the diff in git.
#pragma once

#include <string>

namespace sp::test {

// Returns the golden file's content (after rewriting it when SP_UPDATE_GOLDEN is set).
std::string golden(const std::string& name, const std::string& actual);

} // namespace sp::test
