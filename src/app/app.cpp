#include "src/app/app.hpp"

#include <iostream>
#include <string_view>
#include <utility>

#include "src/app/cli_suggest.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/version.hpp"
#include "src/util/log.hpp"

namespace dg::app {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Env& env) {
  Io io{out, err, env};
  int code = exit_code::kPass;
  CLI::App app{"dockgate: is this Docker image fit to ship? One gate over hadolint, trivy, grype, bandit, "
               "a smoke test and an image-size budget.\n\n"
               "Exit codes: 0 pass, 1 policy failed, 2 usage or configuration error, 3 input error "
               "(a report could not be read), 4 a step could not run, 70 internal error.",
               "dockgate"};
  app.set_version_flag("--version", version_line());
  app.require_subcommand(1);
  app.fallthrough();
  // Only the command being run is built when the first argument names one: CLI11 builds every
  // option eagerly, and building all eleven commands was half the instructions of a start
  // (`dockgate --version` 12.5 M, 5.8 M of them here). Help, errors, `completion` and `man` (which
  // describe every command) and anything else see them all.
  using Adder = void (*)(CLI::App&, Io&, int&);
  static constexpr std::pair<std::string_view, Adder> kCommands[] = {
      {"gate", add_gate},     {"run", add_run},         {"merge", add_merge},     {"lint", add_lint},
      {"smoke", add_smoke},   {"size", add_size},       {"publish", add_publish}, {"schema", add_schema},
      {"version", add_version}, {"doctor", add_doctor}, {"completion", add_completion},
      {"man", add_completion}};
  Adder only = nullptr;
  if (args.size() > 1)
    for (const auto& [name, adder] : kCommands)
      if (args[1] == name && adder != add_completion) only = adder;
  if (only) {
    only(app, io, code);
  } else {
    if (args.size() == 2 && args[1] == "--version") {
      out << version_line() << "\n";
      return exit_code::kPass;
    }
    for (const auto& [name, adder] : kCommands)
      if (name != "man") adder(app, io, code);  // add_completion adds `completion` and `man`
  }

  std::vector<const char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.c_str());
  if (argv.empty()) argv.push_back("dockgate");
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return exit_code::kPass;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return exit_code::kPass;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return exit_code::kPass;
  } catch (const CLI::ParseError& e) {
    // Subcommand help is thrown from the subcommand; CLI11 formats it for us.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return exit_code::kPass;
    }
    err << "dockgate: error: " << e.what() << "\n";
    if (auto hint = cli_suggestion(app, args.empty() ? std::vector<std::string>{"dockgate"} : args); !hint.empty())
      err << "dockgate: " << hint << "\n";
    err << "Run 'dockgate --help' (or 'dockgate COMMAND --help') for usage.\n";
    return exit_code::kUsage;
  } catch (const std::exception& e) {
    err << "dockgate: internal error: " << e.what() << " (please report this)\n";
    return exit_code::kInternal;
  }
  return code;
}

}  // namespace dg::app
