// Inline review on GitHub (one pull request review per run, threads resolved over GraphQL) and
// GitLab (one MR discussion per finding, resolved when fixed). The hidden marker in every
// comment carries the finding's fingerprint: a re-run lists what is there, posts only what is
// new, and closes what is gone. The verdict never depends on any of it.
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/ci/platforms.hpp"
#include "src/report/escape.hpp"
#include "src/util/log.hpp"
#include "src/util/plural.hpp"

namespace dg::ci {

using nlohmann::json;

namespace {

constexpr std::string_view kFixedMarker = "<!-- dockgate-review-fixed -->";

bool ok(long status) { return status >= 200 && status < 300; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string id_string(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

std::string str(const json& o, const char* key) {
  auto it = o.find(key);
  return o.is_object() && it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

struct Denied {
  std::string text;
};

// 401 says the token is wrong; 403/404 come back as a denial (fork PR, read-only token).
util::Error refused(ApiClient& api, const std::string& method, const std::string& url, const util::HttpResponse& r) {
  return api.error(method, url, r,
                   r.status == 401 ? "the token was rejected: check the variable named by --token-env or the "
                                     "platform's default token variable"
                                   : "");
}

// Every item of a paginated list (GitHub Link rel="next", GitLab X-Next-Page). A list that does not
// end is an error: a comment posted without having seen every page could be a duplicate.
util::Expected<std::vector<json>> list_all(ApiClient& api, const std::string& first, std::optional<Denied>& denied,
                                           int max_pages = 100) {
  std::vector<json> out;
  std::set<std::string> seen;
  std::string url = first;
  for (int page = 1; !url.empty(); ++page) {
    if (page > max_pages || !seen.insert(url).second)
      return util::fail(util::ErrorKind::Step, api.platform() + ": the list " + api.redact(path_of(first)) +
                                                   " did not end; not posting review comments that could duplicate");
    auto r = api.send("GET", url);
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) {
      denied = Denied{api.error("GET", url, *r).message};
      return out;
    }
    if (!ok(r->status)) return std::unexpected(refused(api, "GET", url, *r));
    auto list = parse_untrusted_json(r->body);
    if (!list.is_array())
      return util::fail(util::ErrorKind::Step, api.platform() + ": GET " + path_of(url) + ": expected a JSON array");
    for (auto& item : list)
      if (item.is_object()) out.push_back(std::move(item));
    std::string next;
    if (auto it = r->headers.find("link"); it != r->headers.end()) next = next_link(it->second);
    if (next.empty())
      if (auto it = r->headers.find("x-next-page"); it != r->headers.end() && !it->second.empty()) {
        auto q = first.find('?');
        next = first + (q == std::string::npos ? "?" : "&") + "page=" + url_encode(it->second);
      }
    if (!next.empty() && !api.same_origin(next))
      return util::fail(util::ErrorKind::Step, api.platform() + ": the next-page link points to another host (" +
                                                   api.redact(origin_of(next)) + "); not sending the token there");
    url = next;
  }
  return out;
}

// A step that errored may have lost findings that are still there: nothing is closed then.
bool complete(const model::Run& run) {
  for (auto& s : run.steps)
    if (s.status == model::StepStatus::Error) return false;
  return true;
}

std::string review_summary(const report::ReviewPlan& plan, const std::string& key) {
  std::string s = "**dockgate** found " + util::count_of(static_cast<std::int64_t>(plan.comments.size()), "new finding", "new findings") +
                  " on the lines this change touches.";
  if (plan.capped)
    s += " " + util::count_of(static_cast<std::int64_t>(plan.capped), "more finding", "more findings") + " over the limit of review comments " +
         (plan.capped == 1 ? "is" : "are") + " listed in the summary comment only.";
  return s + "\n\n<!-- dockgate-review-summary key=" + key + " -->\n";
}

}  // namespace

std::string ReviewResult::line() const {
  if (denied) return "review degraded to annotations: " + denial;
  std::string s = "review: " + util::count_of(static_cast<std::int64_t>(posted), "comment", "comments") + " posted";
  if (plan.already) s += ", " + std::to_string(plan.already) + " already there";
  if (resolved) s += ", " + std::to_string(resolved) + " resolved";
  if (marked_fixed) s += ", " + std::to_string(marked_fixed) + " marked fixed";
  if (plan.capped) s += ", " + std::to_string(plan.capped) + " over the cap (summary only)";
  if (plan.not_in_diff) s += ", " + std::to_string(plan.not_in_diff) + " outside the diff's hunks (summary only)";
  if (plan.outside_filter) s += ", " + std::to_string(plan.outside_filter) + " outside the filter (summary only)";
  return s;
}

std::string github_graphql_url(const Env& env, const std::string& api_base) {
  if (auto g = env_get(env, "GITHUB_GRAPHQL_URL"); !g.empty()) return trim_slash(g);
  if (api_base.ends_with("/api/v3")) return api_base.substr(0, api_base.size() - 2) + "graphql";
  return api_base + "/graphql";
}

util::Expected<report::Diff> forge_diff(ApiClient& api, const std::string& forge, const ReviewTarget& t) {
  const bool gh = forge == "github";
  const std::string url = gh ? api.base() + "/repos/" + t.repository + "/pulls/" + t.number + "/files?per_page=100"
                             : api.base() + "/projects/" + t.project + "/merge_requests/" + t.number + "/diffs?per_page=100";
  std::optional<Denied> denied;
  // GitHub lists at most 3,000 files of a PR (30 pages of 100).
  auto items = list_all(api, url, denied, gh ? 30 : 100);
  if (!items) return std::unexpected(items.error());
  if (denied) return util::fail(util::ErrorKind::Step, denied->text);
  report::Diff d;
  for (auto& f : *items) {
    std::string path = gh ? str(f, "filename") : str(f, "new_path");
    std::string patch = gh ? str(f, "patch") : str(f, "diff");
    if (path.empty() || patch.empty()) continue;  // binary or too large: the forge sends no patch
    if (gh ? str(f, "status") == "removed" : f.value("deleted_file", false)) continue;
    // The patch is hunks only; a header of our own makes it a diff (the name is set after, so a
    // name with a tab or a quote cannot confuse the parser).
    auto one = report::parse_git_diff("+++ b/x\n" + patch + "\n");
    if (!one) return util::fail(util::ErrorKind::Step, api.platform() + ": the patch of " + path + ": " + one.error().message);
    if (auto it = one->files.find("x"); it != one->files.end()) d.files[path] = std::move(it->second);
  }
  return d;
}

// ---- GitHub ------------------------------------------------------------------------------------

namespace {

struct GhComment {
  std::string id;
  std::string body;
};

bool fixed_note(const std::string& body) { return body.find(kFixedMarker) != std::string::npos; }

// One GraphQL request; nullopt when GraphQL is refused (HTTP error or an "errors" answer), which
// sends the caller to the REST fallback.
util::Expected<std::optional<json>> graphql(ApiClient& api, const std::string& url, const std::string& query,
                                            const json& variables) {
  auto r = api.send("POST", url, dump(json{{"query", query}, {"variables", variables}}));
  if (!r) return std::unexpected(r.error());
  if (r->status == 401) return std::unexpected(refused(api, "POST", url, *r));
  auto j = parse_untrusted_json(r->body);
  if (!ok(r->status) || !j.is_object() || (j.contains("errors") && !j["errors"].empty()) || !j.contains("data")) {
    std::string why = !ok(r->status) ? api.error("POST", url, *r).message
                      : j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()
                          ? api.redact(str(j["errors"][0], "message"))
                          : "no data in the answer";
    spdlog::debug("GitHub GraphQL refused: {}", why);
    return std::optional<json>{};
  }
  return std::optional<json>{j["data"]};
}

constexpr const char* kThreadsQuery =
    "query($owner:String!,$name:String!,$number:Int!,$cursor:String){repository(owner:$owner,name:$name){"
    "pullRequest(number:$number){reviewThreads(first:100,after:$cursor){pageInfo{hasNextPage endCursor}"
    "nodes{id isResolved comments(first:1){nodes{databaseId body}}}}}}}";
constexpr const char* kResolveMutation =
    "mutation($threadId:ID!){resolveReviewThread(input:{threadId:$threadId}){thread{id isResolved}}}";

struct Thread {
  std::string id;
  bool resolved = false;
};

// comment database id -> its thread. nullopt when GraphQL is refused.
util::Expected<std::optional<std::map<std::string, Thread>>> review_threads(ApiClient& api, const ReviewTarget& t) {
  std::map<std::string, Thread> out;
  // The number may come from a result file (publish, merge): a number, or no GraphQL at all.
  long long number = 0;
  auto [end, ec] = std::from_chars(t.number.data(), t.number.data() + t.number.size(), number);
  if (ec != std::errc() || end != t.number.data() + t.number.size() || number <= 0)
    return util::fail(util::ErrorKind::Step, "GitHub: pull request number '" + api.redact(t.number) + "' is not a number");
  auto slash = t.repository.find('/');
  json vars = {{"owner", t.repository.substr(0, slash)},
               {"name", slash == std::string::npos ? "" : t.repository.substr(slash + 1)},
               {"number", number},
               {"cursor", nullptr}};
  for (int page = 0; page < 100; ++page) {
    auto d = graphql(api, t.graphql_url, kThreadsQuery, vars);
    if (!d) return std::unexpected(d.error());
    if (!*d) return std::optional<std::map<std::string, Thread>>{};
    const json& data = **d;
    auto threads = data.value(json::json_pointer("/repository/pullRequest/reviewThreads"), json::object());
    for (auto& n : threads.value("nodes", json::array())) {
      auto first = n.value(json::json_pointer("/comments/nodes"), json::array());
      if (!first.is_array() || first.empty()) continue;
      out[id_string(first[0].value("databaseId", json()))] = Thread{str(n, "id"), n.value("isResolved", false)};
    }
    auto info = threads.value("pageInfo", json::object());
    if (!info.value("hasNextPage", false)) break;
    vars["cursor"] = str(info, "endCursor");
  }
  return std::optional<std::map<std::string, Thread>>{std::move(out)};
}

}  // namespace

util::Expected<ReviewResult> github_review(ApiClient& api, const ReviewTarget& t, const model::Run& run,
                                           const PublishOptions::Review& opt) {
  ReviewResult res;
  const std::string pulls = api.base() + "/repos/" + t.repository + "/pulls/";
  std::optional<Denied> denied;
  auto listed = list_all(api, pulls + t.number + "/comments?per_page=100", denied);
  if (!listed) return std::unexpected(listed.error());
  if (denied) {
    res.denied = true;
    res.denial = denied->text;
    return res;
  }
  std::map<std::string, GhComment> ours;  // fingerprint -> the comment that opened its thread
  for (auto& c : *listed) {
    if (c.contains("in_reply_to_id") && !c["in_reply_to_id"].is_null()) continue;  // replies are people's
    auto body = str(c, "body");
    auto fp = report::marker_fingerprint(body, t.key);
    if (fp.empty()) continue;
    // A comment marked fixed gives way to a newer one for the same finding (it came back).
    auto it = ours.find(fp);
    if (it == ours.end() || (fixed_note(it->second.body) && !fixed_note(body)))
      ours[fp] = GhComment{id_string(c.value("id", json())), body};
  }
  // A finding whose only comment says it was fixed is back: it gets a new comment.
  std::set<std::string> existing;
  for (auto& [fp, c] : ours)
    if (!fixed_note(c.body)) existing.insert(fp);
  res.plan = report::plan_review(run, *opt.diff, opt.filter, opt.max_comments, existing, t.key);

  if (!res.plan.comments.empty()) {
    json comments = json::array();
    for (auto& c : res.plan.comments) {
      json item = {{"path", c.path}, {"line", c.line}, {"side", "RIGHT"}, {"body", c.body}};
      if (c.start_line) {
        item["start_line"] = c.start_line;
        item["start_side"] = "RIGHT";
      }
      comments.push_back(std::move(item));
    }
    json review = {{"event", "COMMENT"}, {"body", review_summary(res.plan, t.key)}, {"comments", comments}};
    if (!t.head_sha.empty()) review["commit_id"] = t.head_sha;
    const std::string url = pulls + t.number + "/reviews";
    auto r = api.send("POST", url, dump(review));
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) {
      res.denied = true;
      res.denial = api.error("POST", url, *r).message;
      return res;
    }
    if (!ok(r->status)) return std::unexpected(refused(api, "POST", url, *r));
    res.posted = res.plan.comments.size();
  }

  // Gone: our comments whose finding is not in this run at all (not merely filtered out).
  std::vector<const GhComment*> gone;
  if (complete(run))
    for (auto& [fp, c] : ours)
      if (!res.plan.present.count(fp) && !fixed_note(c.body)) gone.push_back(&c);
  if (gone.empty()) return res;
  auto threads = review_threads(api, t);
  if (!threads) return std::unexpected(threads.error());
  for (auto* c : gone) {
    if (*threads) {
      auto it = (*threads)->find(c->id);
      if (it != (*threads)->end() && it->second.resolved) continue;  // someone resolved it already
      if (it != (*threads)->end()) {
        auto d = graphql(api, t.graphql_url, kResolveMutation, json{{"threadId", it->second.id}});
        if (!d) return std::unexpected(d.error());
        if (*d) {
          ++res.resolved;
          continue;
        }
      }
    }
    // GraphQL refused (or no thread found): say it in the comment itself.
    const std::string url = pulls + "comments/" + c->id;
    std::string body = c->body + "\n\n**Fixed** in " + (t.head_sha.empty() ? "the latest commit" : t.head_sha) +
                       ": dockgate no longer finds this.\n" + std::string(kFixedMarker) + "\n";
    auto r = api.send("PATCH", url, body_json(body));
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) {
      spdlog::warn("cannot mark review comment {} fixed: {}", c->id, api.error("PATCH", url, *r).message);
      continue;
    }
    if (!ok(r->status)) return std::unexpected(refused(api, "PATCH", url, *r));
    ++res.marked_fixed;
  }
  return res;
}

// ---- GitLab ------------------------------------------------------------------------------------

util::Expected<ReviewResult> gitlab_review(ApiClient& api, const ReviewTarget& t, const model::Run& run,
                                           const PublishOptions::Review& opt, const Env& env) {
  ReviewResult res;
  const std::string mr = api.base() + "/projects/" + t.project + "/merge_requests/" + t.number;
  auto deny = [&](const std::string& method, const std::string& url, const util::HttpResponse& r) {
    res.denied = true;
    res.denial = api.error(method, url, r).message;
    return res;
  };

  // The position's three shas must be the MR's current diff version: the MR says which.
  std::string base_sha = env_get(env, "CI_MERGE_REQUEST_DIFF_BASE_SHA"), start_sha, head_sha = t.head_sha;
  {
    auto r = api.send("GET", mr);
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) return deny("GET", mr, *r);
    if (!ok(r->status)) return std::unexpected(refused(api, "GET", mr, *r));
    auto j = parse_untrusted_json(r->body);
    if (j.is_object() && j.contains("diff_refs") && j["diff_refs"].is_object()) {
      auto& refs = j["diff_refs"];
      if (auto b = str(refs, "base_sha"); !b.empty()) base_sha = b;
      if (auto s = str(refs, "start_sha"); !s.empty()) start_sha = s;
      if (auto h = str(refs, "head_sha"); !h.empty()) head_sha = h;
    }
  }
  if (start_sha.empty()) start_sha = base_sha;
  if (base_sha.empty() || head_sha.empty())
    return util::fail(util::ErrorKind::Step, "GitLab: the merge request's diff_refs are missing and "
                                             "CI_MERGE_REQUEST_DIFF_BASE_SHA is not set: no position for review comments");

  std::optional<Denied> denied;
  auto listed = list_all(api, mr + "/discussions?per_page=100", denied);
  if (!listed) return std::unexpected(listed.error());
  if (denied) {
    res.denied = true;
    res.denial = denied->text;
    return res;
  }
  struct Disc {
    std::string id;
    bool resolved = false;
  };
  std::map<std::string, Disc> ours;
  for (auto& d : *listed) {
    auto notes = d.value("notes", json::array());
    if (!notes.is_array() || notes.empty() || !notes[0].is_object()) continue;
    if (notes[0].value("system", false)) continue;
    auto fp = report::marker_fingerprint(str(notes[0], "body"), t.key);
    if (!fp.empty() && !ours.count(fp)) ours[fp] = Disc{str(d, "id"), notes[0].value("resolved", false)};
  }
  std::set<std::string> existing;
  for (auto& [fp, d] : ours) existing.insert(fp);
  res.plan = report::plan_review(run, *opt.diff, opt.filter, opt.max_comments, existing, t.key);

  for (auto& c : res.plan.comments) {
    json pos = {{"position_type", "text"}, {"base_sha", base_sha}, {"start_sha", start_sha},
                {"head_sha", head_sha},    {"new_path", c.path},   {"new_line", c.line}};
    // A context line is on both sides: GitLab wants its old number too.
    if (auto* f = opt.diff->file(c.path); f && !c.added) {
      if (auto it = f->old_line.find(c.line); it != f->old_line.end()) {
        pos["old_path"] = c.path;
        pos["old_line"] = it->second;
      }
    }
    std::string body = c.body;
    // GitLab anchors on one line; a suggestion over more lines reaches up with -N.
    if (c.start_line)
      if (auto at = body.find("```suggestion\n"); at != std::string::npos)
        body.replace(at, 14, "```suggestion:-" + std::to_string(c.line - c.start_line) + "+0\n");
    const std::string url = mr + "/discussions";
    auto r = api.send("POST", url, dump(json{{"body", body}, {"position", pos}}));
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) return deny("POST", url, *r);
    if (!ok(r->status)) return std::unexpected(refused(api, "POST", url, *r));
    ++res.posted;
  }

  if (!complete(run)) return res;
  for (auto& [fp, d] : ours) {
    if (res.plan.present.count(fp) || d.resolved || d.id.empty()) continue;
    const std::string url = mr + "/discussions/" + url_encode(d.id) + "?resolved=true";
    auto r = api.send("PUT", url);
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) {
      spdlog::warn("cannot resolve discussion {}: {}", d.id, api.error("PUT", url, *r).message);
      continue;
    }
    if (!ok(r->status)) return std::unexpected(refused(api, "PUT", url, *r));
    ++res.resolved;
  }
  return res;
}

}  // namespace dg::ci
