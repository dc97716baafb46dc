// STUB: replaced by the command's owner.
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"

namespace dg::app {

void add_smoke(CLI::App& app, Io& io, int& code) {
  auto* cmd = app.add_subcommand("smoke", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&io, &code] {
    io.err << "dockgate: smoke is not implemented yet\n";
    code = exit_code::kInternal;
  });
}

}  // namespace dg::app
