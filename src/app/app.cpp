#include "src/app/app.hpp"

#include <iostream>

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
  add_gate(app, io, code);
  add_run(app, io, code);
  add_merge(app, io, code);
  add_lint(app, io, code);
  add_smoke(app, io, code);
  add_size(app, io, code);
  add_publish(app, io, code);
  add_schema(app, io, code);
  add_version(app, io, code);
  add_doctor(app, io, code);
  add_completion(app, io, code);

  std::vector<const char*> argv;
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
