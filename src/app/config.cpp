// STUB (policy helper replaces): defaults only.
#include "src/app/config.hpp"

namespace dg::app {

util::Expected<Config> load_config(const std::filesystem::path& file, const Env&) {
  Config c;
  if (!file.empty()) c.file = file;
  return c;
}

util::Expected<std::uint64_t> parse_size(std::string_view text) {
  return util::fail(util::ErrorKind::Usage, "size parsing not implemented: " + std::string(text));
}
util::Expected<Seconds> parse_duration(std::string_view text) {
  return util::fail(util::ErrorKind::Usage, "duration parsing not implemented: " + std::string(text));
}

}  // namespace dg::app
