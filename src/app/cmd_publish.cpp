// STUB: replaced by the command's owner.
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"

namespace dg::app {

void add_publish(CLI::App& app, Io& io, int& code) {
  auto* cmd = app.add_subcommand("publish", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&io, &code] {
    io.err << "dockgate: publish is not implemented yet\n";
    code = exit_code::kInternal;
  });
}

}  // namespace dg::app
