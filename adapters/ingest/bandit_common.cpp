#include "adapters/ingest/bandit_common.hpp"

#include <charconv>

#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest::bandit {

namespace {

// B105 hardcoded_password_string, B106 _funcarg, B107 _default.
bool is_secret(const Issue& i) {
  if (!i.test_id.empty()) return i.test_id == "B105" || i.test_id == "B106" || i.test_id == "B107";
  return i.test_name.starts_with("hardcoded_password");
}

// bandit writes the password into its text ("Possible hardcoded password: 'hunter2'").
std::string redact(std::string_view text) {
  auto colon = text.find(':');
  return util::trim(colon == std::string_view::npos ? text : text.substr(0, colon));
}

// "703", "CWE-703", "CWE-703 (https://…)", "https://cwe.mitre.org/data/definitions/703.html".
std::string cwe_alias(std::string_view cwe) {
  std::size_t start = std::string_view::npos;
  if (auto p = cwe.find("CWE-"); p != std::string_view::npos) start = p + 4;
  else if (auto d = cwe.find("definitions/"); d != std::string_view::npos) start = d + 12;
  else start = cwe.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  std::size_t end = start;
  while (end < cwe.size() && cwe[end] >= '0' && cwe[end] <= '9') ++end;
  std::string_view digits = cwe.substr(start, end - start);
  if (digits.empty() || digits.find_first_not_of('0') == std::string_view::npos) return {};
  return "CWE-" + std::string(digits);
}

// bandit's levels are upper-case words; txt and screen print them capitalized ("Low").
std::string upper(std::string_view s) {
  std::string out = util::trim(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

int to_int(std::string_view s, int fallback) {
  s = s.substr(0, s.find_last_not_of(" \t\r\n") + 1);
  s.remove_prefix(std::min(s.size(), s.find_first_not_of(" \t")));
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return fallback;
  return v;
}

int last_of_range(std::string_view range) {
  auto end = range.find_last_of("0123456789");
  if (end == std::string_view::npos) return 0;
  auto start = range.find_last_not_of("0123456789", end);
  start = start == std::string_view::npos ? 0 : start + 1;
  return to_int(range.substr(start, end + 1 - start));
}

std::string code_line(std::string_view code, int line) {
  if (line <= 0) return {};
  while (!code.empty()) {
    auto nl = code.find('\n');
    std::string_view l = code.substr(0, nl);
    code = nl == std::string_view::npos ? std::string_view{} : code.substr(nl + 1);
    auto digits = l.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos) continue;
    if (l[digits] != ' ' && l[digits] != '\t') continue;
    if (to_int(l.substr(0, digits)) != line) continue;
    return util::trim(l.substr(digits + 1));
  }
  return {};
}

std::string html_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (ent == "amp") rep = "&";
    else if (ent == "lt") rep = "<";
    else if (ent == "gt") rep = ">";
    else if (ent == "quot") rep = "\"";
    else if (ent == "apos") rep = "'";
    else if (ent.size() > 1 && ent[0] == '#') {
      unsigned cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string_view num = ent.substr(hex ? 2 : 1);
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), cp, hex ? 16 : 10);
      if (ec == std::errc() && p == num.data() + num.size() && cp > 0 && cp <= 0x10FFFF &&
          (cp < 0xD800 || cp > 0xDFFF)) {
        if (cp < 0x80) {
          rep.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          rep.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          rep.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          rep.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          rep.push_back(static_cast<char>(0xF0 | (cp >> 18)));
          rep.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          rep.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
      }
    }
    if (rep.empty()) {
      out.push_back('&');
      continue;
    }
    out += rep;
    i = semi;
  }
  return out;
}

void repair_text(const Input& in_const, std::vector<std::string>& warnings) {
  auto text = in_const.text();
  auto bad = util::find_invalid_utf8(text);
  if (bad == std::string_view::npos) return;
  // Same file, same offsets: only bytes that were not text change.
  Input& in = const_cast<Input&>(in_const);
  auto lc = util::line_col(text, bad);
  in.repair_utf8();
  warnings.push_back(in.name + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) +
                     ": invalid UTF-8 replaced by '?' (" + std::to_string(in.repaired_utf8) + " bytes)");
}

model::StepResult make_step() {
  model::StepResult step;
  step.name = model::step::kBandit;
  step.tool = "bandit";
  return step;
}

void add_issue(model::StepResult& step, Issue&& i) {
  model::Finding f;
  f.tool = "bandit";
  f.sources = {"bandit"};
  bool secret = is_secret(i);
  f.rule_id = !i.test_id.empty() ? std::move(i.test_id) : std::move(i.test_name);
  f.kind = secret ? model::Kind::Secret : model::Kind::Code;
  f.tool_severity = upper(i.severity);
  f.severity = model::severity_from_word(f.tool_severity);
  f.confidence = upper(i.confidence);
  f.title = secret ? redact(i.text) : util::trim(i.text);
  f.help_uri = util::trim(i.more_info);
  f.location.path = std::move(i.filename);
  f.location.line = i.line;
  if (i.col_offset >= 0) f.location.column = i.col_offset + 1;
  if (i.end_line > i.line) f.location.end_line = i.end_line;
  if (!secret) f.location.snippet = code_line(i.code, i.line);
  if (auto cwe = cwe_alias(i.cwe); !cwe.empty()) f.aliases.push_back(std::move(cwe));
  step.findings.push_back(std::move(f));
}

void add_error(model::StepResult& step, std::string_view filename, std::string_view reason) {
  step.status = model::StepStatus::Error;
  std::string r = util::trim(reason);
  step.errors.push_back("bandit could not scan " + util::trim(filename) + ": " +
                        (r.empty() ? std::string("no reason given") : r));
}

ParsedReport finish(model::StepResult&& step, std::string_view format, std::vector<std::string> warnings) {
  model::assign_fingerprints(step.findings);
  ParsedReport out;
  out.warnings = std::move(warnings);
  out.format = std::string(format);
  out.steps.push_back(std::move(step));
  return out;
}

}  // namespace dg::ingest::bandit
