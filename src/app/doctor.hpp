#pragma once
// `dockgate doctor`: what this machine and job give dockgate, as a list of checks. Gathering
// (doctor_tools.cpp, doctor.cpp) is separate from printing (cmd_doctor.cpp).
#include <map>
#include <string>
#include <vector>

#include "src/app/config.hpp"
#include "src/util/http.hpp"

namespace dg::app::doctor {

enum class Status { Ok, Info, Warn, Missing, Error };
std::string_view to_string(Status s);

struct Check {
  std::string section;  // tools | ci | token | config
  std::string name;     // hadolint, platform, GITHUB_TOKEN, dockgate.yml, ...
  Status status = Status::Info;
  std::string detail;   // one line; never a secret's value
  bool required = false;  // dockgate.yml (or the command line) needs it: Missing/Error fails doctor
};

struct Options {
  std::string config;     // --config; default DOCKGATE_CONFIG, then ./dockgate.yml
  std::string token_env;  // --token-env
  bool offline = false;   // no API request
};

// The tool table: which outside programs dockgate runs, and which of their versions the parsers
// were written and tested against (the corpus).
struct ToolInfo {
  std::string name;
  std::vector<std::string> version_args;
  bool parsed = false;    // dockgate reads its reports
  int min_major = 0, min_minor = 0;  // known versions: >= min ...
  int below_major = 0;    // ... and < below_major.0 (0: no upper bound)
};
const std::vector<ToolInfo>& known_tools();

// "Haskell Dockerfile Linter 2.12.0-no-git" -> "2.12.0"; "" when no x.y appears.
std::string version_in(std::string_view text);
// Is `version` one the parsers know for `tool`?
bool known_version(const ToolInfo& tool, std::string_view version);

// Which tools the configuration needs (tool name -> the key that needs it).
std::map<std::string, std::string> needed_tools(const Config& cfg);

std::vector<Check> check_tools(const Config* cfg);
std::vector<Check> check_ci(const Env& env);
std::vector<Check> check_token(const Options& opt, const Env& env, util::HttpTransport& http);
// Loads the configuration into `cfg` when it parses.
std::vector<Check> check_config(const Options& opt, const Env& env, Config& cfg, bool& loaded);

// 0 when nothing required is Missing or in Error; 2 when the configuration does not parse;
// 4 when something a step needs is missing.
int exit_code_of(const std::vector<Check>& checks);

}  // namespace dg::app::doctor
