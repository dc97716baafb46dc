#pragma once
// The HTML report: one self-contained file (inline CSS, JavaScript and SVG, no request leaves
// the page) for CI artifacts. Model in, text out, like the other writers.
#include <cstddef>
#include <string>
#include <vector>

#include "src/model/run.hpp"
#include "src/report/finding_view.hpp"

namespace dg::report {

// One past result for the trend chart (--history).
struct TrendPoint {
  std::string label;  // the date the result was written, or what the caller names it
  model::Verdict verdict = model::Verdict::Pass;
  std::size_t by[6] = {};  // unwaived findings by severity (index = Severity)
  std::size_t waived = 0;
};
TrendPoint trend_point(const model::Run& run, std::string label = {});

// One shard of `dockgate merge`, as its own job gated it.
struct HtmlShard {
  std::string name;  // the result file as given, and its CI job when known
  model::Verdict verdict = model::Verdict::Pass;
  std::vector<std::string> reasons;
  struct Step {
    std::string name;
    model::StepStatus status = model::StepStatus::Passed;
    StepCounts counts;
  };
  std::vector<Step> steps;
};
// `envelope` may be null (a result without its run fields): the verdict is then taken from the steps.
HtmlShard shard_summary(std::string name, const model::Run* envelope, const std::vector<model::StepResult>& steps);

struct HtmlOptions {
  std::vector<TrendPoint> history;  // oldest first; the current run is added as the last point
  std::vector<HtmlShard> shards;    // merge: one section per shard
  // Findings rendered as HTML rows (worst first), so the table reads without JavaScript; all of
  // them are in the embedded JSON that the script pages through.
  std::size_t static_rows = 1000;
};

std::string write_html(const model::Run& run, const HtmlOptions& opt);  // html.cpp

// ---- pieces, one file each ----

// Inline SVG charts (html_charts.cpp). Every label is escaped; sizes are in CSS pixels.
std::string svg_severity_by_step(const model::Run& run);
std::string svg_size(const SizeFacts& size);
struct LayerBar {
  int index = 0;  // 1-based layer number
  double bytes = 0;
  std::string size_text, digest, instruction;
};
// The "largest layers" lines the image-size step writes into its log excerpt.
std::vector<LayerBar> parse_layers(std::string_view log);
std::string svg_layers(const std::vector<LayerBar>& layers);
std::string svg_smoke_timeline(const model::StepResult& smoke);
std::string svg_trend(const std::vector<TrendPoint>& points);

// The finding table (html_table.cpp): the static rows, and the JSON block the script reads.
std::string finding_table(const model::Run& run, std::size_t static_rows);

// The stylesheet and the script (html_assets.cpp).
std::string_view html_css();
std::string_view html_js();

// Severity colors shared by the charts, the table and the legend.
std::string_view severity_color(model::Severity s);

}  // namespace dg::report
