#pragma once
// The parts of a SARIF run dockgate keeps. A run is read in one forward pass (sarif_read.cpp) and
// turned into findings only once it is complete (sarif_resolve.cpp), because a run may list its
// rules, artifacts and base URIs before or after its results.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "adapters/ingest/input.hpp"

namespace dg::ingest::sarif {

// Every string copied from a log is bounded: a hostile or broken report cannot make one finding
// cost more than a few KB.
inline constexpr std::size_t kMessageMax = 2000;
inline constexpr std::size_t kTextMax = 1000;   // descriptions, snippets, help text
inline constexpr std::size_t kShortMax = 300;   // ids, names, levels, URIs
inline constexpr std::size_t kListMax = 32;     // tags, message arguments

struct Rule {
  std::string id, name, short_description, full_description, help_uri, help_text;
  std::string level;              // defaultConfiguration.level
  std::string security_severity;  // properties["security-severity"], as written
  std::string precision, problem_severity;
  std::vector<std::string> tags;
  std::string purl, fixed_version;  // Docker Scout keeps package facts in rule properties
  std::vector<std::pair<std::string, std::string>> message_strings;  // id -> text
};

// tool.driver or one of tool.extensions.
struct Component {
  std::string name, version;
  std::vector<Rule> rules;
  std::vector<std::pair<std::string, std::string>> global_message_strings;
  std::unordered_map<std::string, std::size_t> by_id;  // filled by index()

  void index();
  const Rule* find(std::string_view id) const;
};

struct Artifact {
  std::string uri, base;
};

struct Result {
  std::string rule_id;
  std::int64_t rule_index = -1;
  std::int64_t component = -1;  // -1: the driver, else an index into extensions
  std::string level, kind;
  std::string text;              // message.text (or markdown)
  std::string message_id;        // message.id, looked up in messageStrings
  std::vector<std::string> arguments;
  // The first location that has a file, else the first one.
  std::string uri, uri_base;
  std::int64_t artifact_index = -1;
  int line = 0, column = 0, end_line = 0;
  std::string snippet;
  std::string logical;           // fullyQualifiedName or name of the first logical location
  std::string location_message;  // trivy writes "target: name@version" here
  bool suppressed = false;
  std::string justification;
  std::string security_severity;
  std::string confidence;        // bandit's properties.issue_confidence
  std::size_t offset = 0;        // where the result starts, for messages
};

struct Run {
  Component driver;
  std::vector<Component> extensions;
  std::vector<Artifact> artifacts;
  std::unordered_map<std::string, Artifact> base_ids;  // originalUriBaseIds
  std::vector<Result> results;
  // Results with neither a rule nor a message (SARIF requires a message): nothing to show or
  // gate on. Dropped as they are read, so a million `{}` cost no memory; counted for a warning.
  std::size_t skipped_empty = 0;
};

// Reads one element of `runs` into `run` (throws json::JsonError / simdjson errors, which
// json::parse_json turns into file:line:col messages).
void read_run(const Input& in, simdjson::ondemand::value v, Run& run);

}  // namespace dg::ingest::sarif
