// STUB (policy helper replaces).
#include "src/app/waivers_file.hpp"

namespace dg::app {

util::Expected<std::vector<policy::WaiverRule>> load_waivers(const std::filesystem::path& file) {
  return util::fail(util::ErrorKind::Usage, "waiver files are not supported yet", file.string());
}

}  // namespace dg::app
