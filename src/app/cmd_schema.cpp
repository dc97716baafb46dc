#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/result_schema.hpp"

namespace dg::app {

void add_schema(CLI::App& app, Io& io, int& code) {
  auto* cmd = app.add_subcommand("schema", "Print the JSON schema of the result (--json output)");
  cmd->footer("Example:\n  dockgate schema > dockgate-result.schema.json");
  cmd->callback([&io, &code] {
    io.out << kResultSchema;
    code = exit_code::kPass;
  });
}

}  // namespace dg::app
