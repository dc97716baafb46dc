#include <nlohmann/json.hpp>

#include "src/app/commands.hpp"
#include "src/app/doctor.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/version.hpp"
#include "src/util/file.hpp"

namespace dg::app {

namespace {

struct DoctorArgs {
  doctor::Options opt;
  std::string json;
};

int run_doctor(const DoctorArgs& a, Io& io) {
  using namespace doctor;
  Config cfg;
  bool loaded = false;
  auto checks = check_config(a.opt, io.env, cfg, loaded);
  auto tools = check_tools(loaded ? &cfg : nullptr);
  auto ci = check_ci(io.env);
  auto http = util::make_curl_transport();
  auto token = check_token(a.opt, io.env, *http);
  std::vector<Check> all;
  for (auto* part : {&tools, &ci, &token, &checks}) all.insert(all.end(), part->begin(), part->end());
  int code = exit_code_of(all);

  if (!a.json.empty()) {
    nlohmann::ordered_json j{{"dockgate", build_info().version}, {"commit", build_info().commit}, {"ready", code == 0},
                             {"exit_code", code}, {"checks", nlohmann::json::array()}};
    for (auto& c : all)
      j["checks"].push_back({{"section", c.section}, {"name", c.name}, {"status", to_string(c.status)},
                             {"required", c.required}, {"detail", c.detail}});
    if (a.json == "-") {
      io.out << j.dump(2) << "\n";
    } else if (auto w = util::write_file_atomic(a.json, j.dump(2) + "\n"); !w) {
      io.err << "dockgate: error: " << w.error().to_string() << "\n";
      return exit_code::kUsage;
    }
  }
  if (a.json != "-") {
    io.out << version_line() << "\n";
    std::string section;
    for (auto& c : all) {
      if (c.section != section) {
        section = c.section;
        io.out << "\n" << section << "\n";
      }
      std::string status(to_string(c.status));
      io.out << "  " << status << std::string(status.size() < 8 ? 8 - status.size() : 1, ' ') << c.name << ": " << c.detail
             << (c.required && (c.status == Status::Missing || c.status == Status::Error) ? "  <- needed" : "") << "\n";
    }
    io.out << "\n"
           << (code == 0 ? "ready: everything dockgate.yml needs is here"
                         : code == exit_code::kUsage ? "not ready: the configuration does not parse"
                                                     : "not ready: something a step needs is missing")
           << "\n";
  }
  return code;
}

}  // namespace

void add_doctor(CLI::App& app, Io& io, int& code) {
  auto a = std::make_shared<DoctorArgs>();
  auto* cmd = app.add_subcommand("doctor", "Check what dockgate finds here: tools, CI platform, token, config");
  cmd->add_option("-c,--config", a->opt.config, "dockgate.yml (default: $DOCKGATE_CONFIG, then ./dockgate.yml)");
  cmd->add_option("--token-env", a->opt.token_env, "NAME of the variable holding the API token (never the token)");
  cmd->add_flag("--offline", a->opt.offline, "Make no API request (the token is only looked for)");
  cmd->add_option("--json", a->json, "Also write the checks as JSON to FILE (- = stdout, instead of the text)");
  cmd->footer(
      "Lists hadolint, trivy, grype, bandit, docker, skopeo and umoci with their versions (and whether\n"
      "dockgate's parsers know that version), the CI platform and the variables it was detected from,\n"
      "whether an API token is available and, on GitHub, what it may do (one GET /repos/OWNER/REPO),\n"
      "and whether dockgate.yml and the waiver files parse. The token's value is never printed.\n"
      "Exit codes: 0 everything dockgate.yml needs is here, 2 it does not parse, 4 something a step\n"
      "needs (a tool, the Dockerfile, the waiver file) is missing.\n\n"
      "Examples:\n  dockgate doctor\n  dockgate doctor --config ci/dockgate.yml --json doctor.json");
  cmd->callback([a, &io, &code] { code = run_doctor(*a, io); });
}

}  // namespace dg::app
