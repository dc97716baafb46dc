// GitHub check run: annotations on the PR's diff, beyond the 10+10 a workflow step may show.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapters/ci/platforms.hpp"
#include "src/util/clock.hpp"
#include "src/util/text.hpp"

namespace dg::ci {

using nlohmann::json;

namespace {

constexpr std::size_t kBatch = 50;          // annotations per request (Checks API limit)
constexpr std::size_t kSummaryMax = 65535;  // output.summary limit

std::string level_of(model::Severity s) {
  switch (s) {
    case model::Severity::Critical:
    case model::Severity::High:
    case model::Severity::Unknown: return "failure";  // unknown gates like high
    case model::Severity::Medium: return "warning";
    default: return "notice";
  }
}

json annotation(const model::Finding& f) {
  std::string path = f.location.path;
  while (path.starts_with("./")) path.erase(0, 2);
  int start = f.location.line;
  int end = std::max(start, f.location.end_line);
  std::string title = f.rule_id.empty() ? f.title : f.rule_id + ": " + f.title;
  std::string message = f.message.empty() ? f.title : f.message;
  if (message.empty()) message = f.rule_id;
  return json{{"path", path},
              {"start_line", start},
              {"end_line", end},
              {"annotation_level", level_of(f.severity)},
              {"title", util::truncate_utf8(title, 250)},
              {"message", util::truncate_utf8(message, 4000)}};
}

std::string conclusion_of(model::Verdict v) {
  switch (v) {
    case model::Verdict::Pass: return "success";
    case model::Verdict::Fail: return "failure";
    case model::Verdict::Error: break;
  }
  return "failure";  // a partial result is never green
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

util::Expected<CheckRunResult> github_check_run(ApiClient& api, const std::string& repository,
                                                const model::Run& run, const CheckRun& spec) {
  CheckRunResult out;
  const std::string runs = api.base() + "/repos/" + repository + "/check-runs";
  auto now = util::rfc3339(std::chrono::system_clock::now());

  json create{{"name", spec.name}, {"head_sha", spec.head_sha}, {"status", "in_progress"}, {"started_at", now}};
  if (spec.details_url.starts_with("https://") || spec.details_url.starts_with("http://"))
    create["details_url"] = spec.details_url;
  auto r = api.send("POST", runs, dump(create));
  ++out.requests;
  if (!r) return std::unexpected(r.error());
  if (r->status == 403 || r->status == 404) {
    out.denied = true;
    out.denial = api.error("POST", runs, *r, "a check run needs `checks: write`").message;
    return out;
  }
  if (r->status < 200 || r->status >= 300) return std::unexpected(api.error("POST", runs, *r));
  auto created = parse_untrusted_json(r->body);
  std::string id;
  if (created.is_object()) {
    auto v = created.value("id", json());
    if (v.is_number_integer()) id = std::to_string(v.get<long long>());
    out.url = created.value("html_url", std::string{});
  }
  if (id.empty()) return util::fail(util::ErrorKind::Step, "GitHub: POST " + path_of(runs) + ": no check run id in the answer");

  // Worst first: when the cap cuts, it cuts notices.
  std::vector<const model::Finding*> located;
  for (auto& s : run.steps)
    for (auto& f : s.findings)
      if (!f.waiver && !f.location.path.empty() && f.location.line > 0) located.push_back(&f);
  std::stable_sort(located.begin(), located.end(),
                   [](auto* a, auto* b) { return a->severity > b->severity; });
  if (located.size() > spec.max_annotations) located.resize(spec.max_annotations);

  std::size_t total = 0;
  for (auto& s : run.steps) total += s.findings.size();
  const std::string title = std::string("dockgate: ") + std::string(model::to_string(run.verdict)) + " — " +
                            std::to_string(total) + " finding" + (total == 1 ? "" : "s");
  const std::string summary = util::truncate_utf8(spec.summary.empty() ? title : spec.summary, kSummaryMax - 4);
  const std::string one = runs + "/" + id;
  std::size_t batches = std::max<std::size_t>(1, (located.size() + kBatch - 1) / kBatch);
  for (std::size_t b = 0; b < batches; ++b) {
    json anns = json::array();
    for (std::size_t i = b * kBatch; i < std::min(located.size(), (b + 1) * kBatch); ++i)
      anns.push_back(annotation(*located[i]));
    json patch{{"output", {{"title", title}, {"summary", summary}, {"annotations", anns}}}};
    if (b + 1 == batches) {
      patch["status"] = "completed";
      patch["conclusion"] = conclusion_of(run.verdict);
      patch["completed_at"] = util::rfc3339(std::chrono::system_clock::now());
    }
    auto p = api.send("PATCH", one, dump(patch));
    ++out.requests;
    if (!p) return std::unexpected(p.error());
    if (p->status < 200 || p->status >= 300) return std::unexpected(api.error("PATCH", one, *p));
    out.annotations += anns.size();
  }
  return out;
}

}  // namespace dg::ci
