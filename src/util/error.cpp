#include "sp/util/error.hpp"

namespace sp {

namespace {
std::string compose(const std::string& doing, const std::string& why) {
  if (doing.empty()) return why;
  if (why.empty()) return doing;
  return doing + ": " + why;
}
} // namespace

Error::Error(ErrorKind kind, std::string doing, std::string why, std::string hint)
    : std::runtime_error(compose(doing, why)), kind_(kind), doing_(std::move(doing)), why_(std::move(why)),
      hint_(std::move(hint)) {}

Error Error::within(const std::string& outer) const {
  return Error(kind_, doing_.empty() ? outer : outer + ": " + doing_, why_, hint_);
}

} // namespace sp
