#include "src/app/cli_docs.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/version.hpp"

namespace dg::app {

void add_completion(CLI::App& app, Io& io, int& code) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer(
      "Installed with the package; by hand:\n"
      "  dockgate completion bash > ~/.local/share/bash-completion/completions/dockgate\n"
      "  dockgate completion zsh > \"${fpath[1]}/_dockgate\"\n"
      "  dockgate completion fish > ~/.config/fish/completions/dockgate.fish");
  cmd->callback([cmd, shell, &io, &code] {
    io.out << completion_script(*cmd->get_parent(), *shell);
    code = exit_code::kPass;
  });

  // The build writes dockgate.1 with this; not a user command, so not in --help.
  auto* man = app.add_subcommand("man", "Print the dockgate(1) man page (roff)");
  man->group("");
  man->callback([man, &io, &code] {
    io.out << man_page(*man->get_parent(), build_info().version);
    code = exit_code::kPass;
  });
}

}  // namespace dg::app
