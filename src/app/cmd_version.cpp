#include <nlohmann/json.hpp>

#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/version.hpp"

namespace dg::app {

void add_version(CLI::App& app, Io& io, int& code) {
  auto* cmd = app.add_subcommand("version", "Print the version, the git commit and the build type");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "As a JSON object (version, commit, build_type, compiler)");
  cmd->footer("Examples:\n  dockgate version\n  dockgate version --json | jq -r .commit");
  cmd->callback([&io, &code, json] {
    auto& b = build_info();
    if (*json) {
      nlohmann::ordered_json j{{"version", b.version}, {"commit", b.commit}, {"build_type", b.build_type},
                               {"compiler", b.compiler}};
      io.out << j.dump(2) << "\n";
    } else {
      io.out << version_line() << "\n";
    }
    code = exit_code::kPass;
  });
}

}  // namespace dg::app
