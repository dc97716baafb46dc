// One forward pass over a SARIF run with simdjson On-Demand: only the fields the model needs are
// copied (bounded), everything else is skipped without being materialized. Besides 2.1.0, the
// few spellings of the 2.0 drafts and of SARIF 1.0 that real tools still write are accepted
// (a message as a plain string, fileLocation/resultFile, resources.rules, tool.name).
#include <algorithm>
#include <iterator>
#include <limits>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/sarif_log.hpp"
#include "src/util/text.hpp"

namespace dg::ingest::sarif {

namespace {

namespace od = simdjson::ondemand;

od::json_type type_of(od::value& v) {
  od::json_type t{};
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  return t;
}

bool is_scalar(od::json_type t) { return t != od::json_type::object && t != od::json_type::array; }

std::string bounded(const Input& in, od::value v, std::string_view field, std::size_t max) {
  return util::truncate_utf8(json::str(in, v, field), max);
}

// A free-form property bag may hold anything: scalars are read, anything else is skipped.
std::string scalar(const Input& in, od::value v, std::string_view field, std::size_t max) {
  if (!is_scalar(type_of(v))) return {};
  return bounded(in, v, field, max);
}

int to_int(const Input& in, od::value v, std::string_view field) {
  auto n = json::integer(in, v, field);
  return static_cast<int>(std::clamp<std::int64_t>(n, 0, std::numeric_limits<int>::max()));
}

// A message: {"text", "markdown"} in 2.x, a plain string in 1.0.
std::string text_of(const Input& in, od::value v, std::string_view field, std::size_t max) {
  if (type_of(v) != od::json_type::object) return bounded(in, v, field, max);
  std::string text, markdown;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    if (key == "text") text = bounded(in, f.value(), "text", max);
    else if (key == "markdown" && text.empty()) markdown = bounded(in, f.value(), "markdown", max);  // text wins
  }
  return text.empty() ? markdown : text;
}

void read_message_strings(const Input& in, od::value v, std::vector<std::pair<std::string, std::string>>& out) {
  for (auto f : json::object(in, v, "messageStrings")) {
    std::string id(json::key(f));
    if (out.size() >= 256) continue;
    out.emplace_back(util::truncate_utf8(id, kShortMax), text_of(in, f.value(), "messageStrings", kMessageMax));
  }
}

void read_rule_properties(const Input& in, od::value v, Rule& r) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "security-severity") r.security_severity = scalar(in, x, key, kShortMax);
    else if (key == "precision") r.precision = scalar(in, x, key, kShortMax);
    else if (key == "problem.severity") r.problem_severity = scalar(in, x, key, kShortMax);
    else if (key == "purl") r.purl = scalar(in, x, key, kShortMax);
    else if (key == "fixed_version") r.fixed_version = scalar(in, x, key, kShortMax);
    else if ((key == "tags" || key == "purls") && type_of(x) == od::json_type::array) {
      for (auto el : x.get_array()) {
        od::value item = el.value();
        std::string s = scalar(in, item, key, kShortMax);
        if (key == "purls") {
          if (r.purl.empty()) r.purl = std::move(s);
        } else if (r.tags.size() < kListMax && !s.empty()) {
          r.tags.push_back(std::move(s));
        }
      }
    }
  }
}

void read_rule(const Input& in, od::value v, Rule& r) {
  for (auto f : json::object(in, v, "rule")) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "id") r.id = bounded(in, x, key, kShortMax);
    else if (key == "name") r.name = text_of(in, x, key, kShortMax);  // a message object in 2.0 drafts
    else if (key == "shortDescription") r.short_description = text_of(in, x, key, kShortMax);
    else if (key == "fullDescription") r.full_description = text_of(in, x, key, kMessageMax);
    else if (key == "helpUri") r.help_uri = bounded(in, x, key, kShortMax);
    else if (key == "help") r.help_text = text_of(in, x, key, kTextMax);
    else if (key == "messageStrings" || key == "messageFormats") read_message_strings(in, x, r.message_strings);
    else if (key == "properties") read_rule_properties(in, x, r);
    else if (key == "defaultConfiguration" || key == "configuration") {
      if (type_of(x) != od::json_type::object) continue;
      for (auto c : x.get_object()) {
        std::string_view ck = json::key(c);
        if (ck == "level" || ck == "defaultLevel") r.level = scalar(in, c.value(), ck, kShortMax);
      }
    }
  }
}

// `rules` is an array in 2.1.0 and an object keyed by rule id in 1.0 / early 2.0 drafts.
void read_rules(const Input& in, od::value v, Component& c) {
  od::json_type t = type_of(v);
  if (t == od::json_type::null) return;
  if (t == od::json_type::object) {
    for (auto f : v.get_object()) {
      std::string id = util::truncate_utf8(json::key(f), kShortMax);
      Rule r;
      read_rule(in, f.value(), r);
      if (r.id.empty()) r.id = std::move(id);
      c.rules.push_back(std::move(r));
    }
    return;
  }
  for (auto el : json::array(in, v, "rules")) {
    Rule r;
    read_rule(in, el.value(), r);
    c.rules.push_back(std::move(r));
  }
}

// artifactLocation (2.1), fileLocation (2.0 drafts), resultFile / analysisTarget (1.0).
void read_artifact_location(const Input& in, od::value v, std::string& uri, std::string& base, std::int64_t* index) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "uri") uri = bounded(in, x, key, kTextMax);
    else if (key == "uriBaseId") base = bounded(in, x, key, kShortMax);
    else if (key == "index" && index) *index = json::integer(in, x, key);
  }
}

void read_region(const Input& in, od::value v, Result& r) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "startLine") r.line = to_int(in, x, key);
    else if (key == "startColumn") r.column = to_int(in, x, key);
    else if (key == "endLine") r.end_line = to_int(in, x, key);
    else if (key == "snippet") r.snippet = text_of(in, x, key, kTextMax);
  }
}

void read_logical(const Input& in, od::value v, Result& r) {
  if (!r.logical.empty() || type_of(v) != od::json_type::object) return;
  std::string name;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    if (key == "fullyQualifiedName") r.logical = scalar(in, f.value(), key, kShortMax);
    else if (key == "name") name = scalar(in, f.value(), key, kShortMax);
  }
  if (r.logical.empty()) r.logical = std::move(name);
}

// Fills `r` from one element of `locations`; the caller stops once a location named a file.
void read_location(const Input& in, od::value v, Result& r) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "physicalLocation") {
      if (type_of(x) != od::json_type::object) continue;
      for (auto p : x.get_object()) {
        std::string_view pk = json::key(p);
        od::value y = p.value();
        if (pk == "artifactLocation" || pk == "fileLocation") read_artifact_location(in, y, r.uri, r.uri_base, &r.artifact_index);
        else if (pk == "region") read_region(in, y, r);
        else if (pk == "uri" && r.uri.empty()) r.uri = bounded(in, y, pk, kTextMax);
      }
    } else if (key == "resultFile" || key == "analysisTarget") {  // SARIF 1.0
      if (type_of(x) != od::json_type::object) continue;
      for (auto p : x.get_object()) {
        std::string_view pk = json::key(p);
        od::value y = p.value();
        if (pk == "uri" && r.uri.empty()) r.uri = bounded(in, y, pk, kTextMax);
        else if (pk == "uriBaseId" && r.uri_base.empty()) r.uri_base = bounded(in, y, pk, kShortMax);
        else if (pk == "region") read_region(in, y, r);
      }
    } else if (key == "logicalLocations") {
      if (type_of(x) != od::json_type::array) continue;
      for (auto el : x.get_array()) {
        read_logical(in, el.value(), r);
        if (!r.logical.empty()) break;
      }
    } else if (key == "logicalLocation") {
      read_logical(in, x, r);
    } else if (key == "fullyQualifiedLogicalName" && r.logical.empty()) {
      r.logical = scalar(in, x, key, kShortMax);
    } else if (key == "message") {
      r.location_message = text_of(in, x, key, kShortMax);
    }
  }
}

void read_message(const Input& in, od::value v, Result& r) {
  if (type_of(v) != od::json_type::object) {
    r.text = bounded(in, v, "message", kMessageMax);
    return;
  }
  std::string markdown;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "text") r.text = bounded(in, x, "message.text", kMessageMax);
    else if (key == "markdown") markdown = bounded(in, x, "message.markdown", kMessageMax);
    else if (key == "id" || key == "messageId") r.message_id = bounded(in, x, key, kShortMax);
    else if (key == "arguments") {
      od::array a;
      if (!json::optional_array(in, x, "message.arguments", a)) continue;
      for (auto el : a) {
        if (r.arguments.size() >= kListMax) break;
        r.arguments.push_back(scalar(in, el.value(), "message.arguments", kShortMax));
      }
    }
  }
  if (r.text.empty()) r.text = std::move(markdown);
}

// A suppression counts unless its status says it is under review or was rejected (§3.35.3:
// a missing status means accepted). 2.0 drafts wrote "state" instead of "status".
void read_suppressions(const Input& in, od::value v, Result& r) {
  od::array a;
  if (!json::optional_array(in, v, "suppressions", a)) return;
  for (auto el : a) {
    od::value s = el.value();
    if (type_of(s) != od::json_type::object) continue;
    std::string status, justification;
    for (auto f : s.get_object()) {
      std::string_view key = json::key(f);
      if (key == "status" || key == "state") status = scalar(in, f.value(), key, kShortMax);
      else if (key == "justification") justification = text_of(in, f.value(), key, kShortMax);
    }
    if (status.empty() || util::iequals(status, "accepted")) {
      r.suppressed = true;
      if (r.justification.empty()) r.justification = std::move(justification);
    }
  }
}

void read_result_properties(const Input& in, od::value v, Result& r) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    if (key == "security-severity") r.security_severity = scalar(in, f.value(), key, kShortMax);
    else if (key == "issue_confidence") r.confidence = scalar(in, f.value(), key, kShortMax);
  }
}

void read_rule_reference(const Input& in, od::value v, Result& r) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "id" && r.rule_id.empty()) r.rule_id = bounded(in, x, key, kShortMax);
    else if (key == "index" && r.rule_index < 0) r.rule_index = json::integer(in, x, key);
    else if (key == "toolComponent" && type_of(x) == od::json_type::object) {
      for (auto c : x.get_object())
        if (json::key(c) == "index") r.component = json::integer(in, c.value(), "toolComponent.index");
    }
  }
}

void read_result(const Input& in, od::value v, Result& r) {
  r.offset = json::offset_of(in, v);
  for (auto f : json::object(in, v, "result")) {
    std::string_view key = json::key(f);
    od::value x = f.value();
    if (key == "ruleId") r.rule_id = bounded(in, x, key, kShortMax);
    else if (key == "ruleIndex") r.rule_index = json::integer(in, x, key);
    else if (key == "rule") read_rule_reference(in, x, r);
    else if (key == "level") r.level = scalar(in, x, key, kShortMax);
    else if (key == "kind") r.kind = scalar(in, x, key, kShortMax);
    else if (key == "message" || key == "formattedRuleMessage") {
      if (r.text.empty() && r.message_id.empty()) read_message(in, x, r);
    } else if (key == "locations") {
      od::array a;
      if (!json::optional_array(in, x, "locations", a)) continue;
      for (auto el : a) {
        if (!r.uri.empty() || r.artifact_index >= 0) break;
        read_location(in, el.value(), r);
      }
    } else if (key == "suppressions") read_suppressions(in, x, r);
    else if (key == "suppressionStates") {  // SARIF 1.0: ["suppressedInSource"]
      od::array a;
      if (json::optional_array(in, x, key, a))
        for (auto el : a) r.suppressed = r.suppressed || !scalar(in, el.value(), key, kShortMax).empty();
    } else if (key == "properties") read_result_properties(in, x, r);
  }
}

void read_artifacts(const Input& in, od::value v, Run& run) {
  od::array a;
  if (!json::optional_array(in, v, "artifacts", a)) return;
  for (auto el : a) {
    od::value item = el.value();
    Artifact art;
    if (type_of(item) == od::json_type::object)
      for (auto f : item.get_object()) {
        std::string_view key = json::key(f);
        if (key == "location" || key == "fileLocation") read_artifact_location(in, f.value(), art.uri, art.base, nullptr);
      }
    run.artifacts.push_back(std::move(art));
  }
}

void read_base_ids(const Input& in, od::value v, Run& run) {
  if (type_of(v) != od::json_type::object) return;
  for (auto f : v.get_object()) {
    std::string id = util::truncate_utf8(json::key(f), kShortMax);
    od::value x = f.value();
    Artifact a;
    if (type_of(x) == od::json_type::object) read_artifact_location(in, x, a.uri, a.base, nullptr);
    else a.uri = scalar(in, x, "originalUriBaseIds", kTextMax);
    if (run.base_ids.size() < 1024) run.base_ids.emplace(std::move(id), std::move(a));
  }
}

}  // namespace

void Component::index() {
  by_id.reserve(rules.size());
  // The first rule with an id wins, as index lookups would find it first too.
  for (std::size_t i = 0; i < rules.size(); ++i) by_id.emplace(rules[i].id, i);
}

const Rule* Component::find(std::string_view id) const {
  if (id.empty()) return nullptr;
  auto it = by_id.find(std::string(id));
  return it == by_id.end() ? nullptr : &rules[it->second];
}

void ComponentReader::begin() {
  c_ = fixed_ ? fixed_ : &list_->emplace_back();
  semantic_.clear();
}

void ComponentReader::element(std::string_view, od::value rule) {
  Rule r;
  read_rule(in_, rule, r);
  c_->rules.push_back(std::move(r));
}

void ComponentReader::member(std::string_view key, od::value x) {
  if (key == "name") c_->name = bounded(in_, x, key, kShortMax);
  else if (key == "version") c_->version = bounded(in_, x, key, kShortMax);
  else if (key == "semanticVersion") semantic_ = bounded(in_, x, key, kShortMax);
  else if (key == "rules") read_rules(in_, x, *c_);  // keyed by id (1.0), or not rules at all
  else if (key == "globalMessageStrings") read_message_strings(in_, x, c_->global_message_strings);
}

void ComponentReader::end() {
  if (c_->version.empty()) c_->version = std::move(semantic_);
}

void ToolReader::begin() {
  driver_.into(&run_->driver, nullptr);
  extension_.into(nullptr, &run_->extensions);
}

void ToolReader::element(std::string_view, od::value v) {  // an extension that is not an object
  (void)json::object(in_, v, "tool.driver");
}

void ToolReader::member(std::string_view key, od::value x) {
  Run& run = *run_;
  if (key == "driver") (void)json::object(in_, x, "tool.driver");  // not an object: the shape error
  else if (key == "extensions") (void)json::array(in_, x, "tool.extensions");  // not an array
  // SARIF 1.0: the tool itself has the name.
  else if (key == "name" && run.driver.name.empty()) run.driver.name = bounded(in_, x, key, kShortMax);
  else if ((key == "version" || key == "semanticVersion") && run.driver.version.empty())
    run.driver.version = bounded(in_, x, key, kShortMax);
}

void RunReader::begin() {
  run_ = &runs_.emplace_back();
  tool_.into(run_);
}

namespace {
void add_result(const Input& in, od::value item, Run& run) {
  run.results.emplace_back();
  Result& r = run.results.back();
  read_result(in, item, r);
  if (r.rule_id.empty() && r.rule_index < 0 && r.text.empty() && r.message_id.empty()) {
    run.results.pop_back();
    ++run.skipped_empty;
  }
}

// A run of one SARIF run's results, read on another thread.
struct ResultsRun : json::ObjectReader {
  const Input& in;
  Run run;
  explicit ResultsRun(const Input& input) : in(input) {}
  bool split(std::string_view) const override { return false; }
  void element(std::string_view, od::value item) override { add_result(in, item, run); }
  void member(std::string_view, od::value) override {}
};
}  // namespace

void RunReader::element(std::string_view, od::value item) { add_result(in_, item, *run_); }

std::unique_ptr<json::ObjectReader> RunReader::fork(std::string_view) { return std::make_unique<ResultsRun>(in_); }

void RunReader::join(std::string_view, json::ObjectReader& forked) {
  Run& from = static_cast<ResultsRun&>(forked).run;
  run_->results.insert(run_->results.end(), std::make_move_iterator(from.results.begin()),
                       std::make_move_iterator(from.results.end()));
  run_->skipped_empty += from.skipped_empty;
}

void RunReader::member(std::string_view key, od::value x) {
  Run& run = *run_;
  if (key == "tool") (void)json::object(in_, x, "tool");  // not an object: the shape error
  else if (key == "results") (void)json::array(in_, x, "results");  // not an array: the shape error
  else if (key == "artifacts") read_artifacts(in_, x, run);
  else if (key == "originalUriBaseIds") read_base_ids(in_, x, run);
  else if (key == "rules") read_rules(in_, x, run.driver);  // SARIF 1.0
  else if (key == "resources" && type_of(x) == od::json_type::object) {  // 2.0 drafts
    for (auto r : x.get_object())
      if (json::key(r) == "rules") read_rules(in_, r.value(), run.driver);
  }
}

void RunReader::end() {
  run_->driver.index();
  for (auto& e : run_->extensions) e.index();
}

}  // namespace dg::ingest::sarif
