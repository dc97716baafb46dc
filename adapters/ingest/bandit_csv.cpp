// bandit -f csv (Python's csv.DictWriter, excel dialect: CRLF, quotes only where needed).
// Columns are looked up by header name because they changed across versions: more_info (1.5),
// col_offset (1.7), issue_cwe as a link and end_col_offset (1.7.3+). CSV carries neither the code
// nor the files bandit skipped: a CSV report cannot tell a skipped file from a clean one.
#include <array>
#include <optional>

#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/csv.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

enum Column { kFilename, kTestName, kTestId, kSeverity, kConfidence, kCwe, kText, kLine, kCol, kRange, kMoreInfo, kCount };

constexpr std::array<std::string_view, kCount> kNames = {
    "filename", "test_name", "test_id", "issue_severity", "issue_confidence", "issue_cwe",
    "issue_text", "line_number", "col_offset", "line_range", "more_info"};

}  // namespace

ParseResult parse_bandit_csv(const Input& in) {
  ParsedReport out;
  bandit::repair_text(in, out.warnings);
  auto text = in.text();
  if (util::trim(text).empty()) return std::unexpected(in.error("the file is empty (expected bandit CSV)"));

  csv::Reader reader(text);
  csv::Record rec;
  auto read_error = [&] { return std::unexpected(in.error_at(reader.error_offset(), "bandit CSV: " + reader.error())); };
  if (!reader.next(rec)) return read_error();

  std::array<std::optional<std::size_t>, kCount> col{};
  for (std::size_t i = 0; i < rec.fields.size(); ++i)
    for (std::size_t c = 0; c < kCount; ++c)
      if (util::trim(rec.fields[i]) == kNames[c]) col[c] = i;
  if (!col[kFilename] || (!col[kTestId] && !col[kTestName]) || !col[kLine])
    return std::unexpected(in.error_at(rec.offset,
        "bandit CSV: the header has no filename, test_id and line_number columns (found: " +
        util::to_valid_utf8(util::truncate_utf8(text.substr(rec.offset, text.find_first_of("\r\n", rec.offset) - rec.offset), 120)) + ")"));
  const std::size_t width = rec.fields.size();

  model::StepResult step = bandit::make_step();
  while (reader.next(rec)) {
    if (rec.fields.size() != width)
      return std::unexpected(in.error_at(rec.offset, "bandit CSV: a row has " + std::to_string(rec.fields.size()) +
                                                         " fields, the header has " + std::to_string(width) +
                                                         (rec.fields.size() < width ? " (truncated row?)" : "")));
    auto get = [&](Column c) -> std::string { return col[c] ? std::move(rec.fields[*col[c]]) : std::string(); };
    bandit::Issue i;
    i.filename = get(kFilename);
    i.test_name = get(kTestName);
    i.test_id = get(kTestId);
    i.severity = get(kSeverity);
    i.confidence = get(kConfidence);
    i.cwe = get(kCwe);
    i.text = get(kText);
    i.more_info = get(kMoreInfo);
    std::string line = get(kLine);
    i.line = bandit::to_int(line, -1);
    if (i.line < 0)
      return std::unexpected(in.error_at(rec.offset, "bandit CSV: line_number \"" +
                                                         util::to_valid_utf8(util::truncate_utf8(line, 40)) +
                                                         "\" is not a number"));
    if (col[kCol]) i.col_offset = bandit::to_int(get(kCol), -1);
    if (col[kRange]) i.end_line = bandit::last_of_range(get(kRange));
    if (i.test_id.empty() && i.test_name.empty())
      return std::unexpected(in.error_at(rec.offset, "bandit CSV: a row has neither test_id nor test_name"));
    bandit::add_issue(step, std::move(i));
  }
  if (reader.failed()) return read_error();
  return bandit::finish(std::move(step), "bandit-csv", std::move(out.warnings));
}

}  // namespace dg::ingest
