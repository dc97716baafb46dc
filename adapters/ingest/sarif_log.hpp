#pragma once
// The parts of a SARIF run dockgate keeps. A run is read in one forward pass, its results and
// rules a piece at a time (sarif_read.cpp, json_pieces.hpp), and turned into findings only once it
// is complete (sarif_resolve.cpp), because a run may list its rules, artifacts and base URIs
// before or after its results.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "adapters/ingest/input.hpp"
#include "adapters/ingest/json_pieces.hpp"

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

// tool.driver, or each of tool.extensions, a member at a time: its rules one at a time.
class ComponentReader : public json::ObjectReader {
 public:
  explicit ComponentReader(const Input& in) : in_(in) {}
  // Where the component goes: `fixed` (the driver), or a new one appended to `list` for each
  // object read (the extensions).
  void into(Component* fixed, std::vector<Component>* list) {
    fixed_ = fixed;
    list_ = list;
  }
  bool split(std::string_view key) const override { return key == "rules"; }
  void begin() override;
  void element(std::string_view key, json::od::value rule) override;
  void member(std::string_view key, json::od::value v) override;
  void end() override;

 private:
  const Input& in_;
  Component* fixed_ = nullptr;
  std::vector<Component>* list_ = nullptr;
  Component* c_ = nullptr;
  std::string semantic_;
};

// run.tool: its driver and extensions (SARIF 1.0: the tool itself has the name and version).
class ToolReader : public json::ObjectReader {
 public:
  explicit ToolReader(const Input& in) : in_(in), driver_(in), extension_(in) {}
  void into(Run* run) { run_ = run; }
  bool split(std::string_view key) const override { return key == "extensions"; }
  ObjectReader* nested(std::string_view key) override { return key == "extensions" ? &extension_ : nullptr; }
  ObjectReader* object(std::string_view key) override { return key == "driver" ? &driver_ : nullptr; }
  void begin() override;
  void element(std::string_view key, json::od::value v) override;
  void member(std::string_view key, json::od::value v) override;

 private:
  const Input& in_;
  Run* run_ = nullptr;
  ComponentReader driver_, extension_;
};

// One element of `runs` a member at a time, appended to `runs`: its results one at a time, each
// result whole. Errors are thrown (json::JsonError, simdjson's), as parse_json_pieces expects.
class RunReader : public json::ObjectReader {
 public:
  RunReader(const Input& in, std::vector<Run>& runs) : in_(in), runs_(runs), tool_(in) {}
  bool split(std::string_view key) const override { return key == "results"; }
  ObjectReader* object(std::string_view key) override { return key == "tool" ? &tool_ : nullptr; }
  void begin() override;
  void element(std::string_view key, json::od::value result) override;
  void member(std::string_view key, json::od::value v) override;
  void end() override;
  // Results a run at a time on other threads (json_pieces.hpp), each into a Run of its own.
  std::unique_ptr<json::ObjectReader> fork(std::string_view key) override;
  bool forks(std::string_view) const override { return true; }
  void join(std::string_view key, json::ObjectReader& forked) override;

 private:
  const Input& in_;
  std::vector<Run>& runs_;
  Run* run_ = nullptr;
  ToolReader tool_;
};

}  // namespace dg::ingest::sarif
