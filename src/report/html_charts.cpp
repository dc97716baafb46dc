// Inline SVG charts for the HTML report. Plain shapes with <title> tooltips and text labels, so
// they need no script and read in any browser; every label goes through html_text (scanner and
// image strings are untrusted).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "src/report/escape.hpp"
#include "src/report/html.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

std::string open_svg(double w, double h, std::string_view label) {
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(w) + " " + num(h) +
         "\" width=\"" + num(w) + "\" role=\"img\" aria-label=\"" + html_text(label) + "\">";
}

std::string text(double x, double y, std::string_view s, std::string_view cls = {}, std::string_view anchor = {}) {
  std::string out = "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  if (!cls.empty()) out += " class=\"" + std::string(cls) + "\"";
  if (!anchor.empty()) out += " text-anchor=\"" + std::string(anchor) + "\"";
  return out + ">" + std::string(s) + "</text>";
}

std::string rect(double x, double y, double w, double h, std::string_view fill, std::string_view title,
                 std::string_view cls = {}) {
  std::string out = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(0.0, w)) +
                    "\" height=\"" + num(h) + "\"";
  if (!fill.empty()) out += " fill=\"" + std::string(fill) + "\"";
  if (!cls.empty()) out += " class=\"" + std::string(cls) + "\"";
  out += ">";
  if (!title.empty()) out += "<title>" + std::string(title) + "</title>";
  return out + "</rect>";
}

std::string plural(std::size_t n, std::string_view one) {
  return std::to_string(n) + " " + std::string(one) + (n == 1 ? "" : "s");
}

constexpr model::Severity kWorstFirst[] = {model::Severity::Critical, model::Severity::High, model::Severity::Medium,
                                           model::Severity::Low,      model::Severity::Info, model::Severity::Unknown};

std::string legend(double x, double y) {
  std::string out;
  for (auto s : kWorstFirst) {
    out += rect(x, y - 9, 10, 10, severity_color(s), {});
    auto word = std::string(model::to_string(s));
    out += text(x + 14, y, word, "small");
    x += 30 + 7.5 * static_cast<double>(word.size());
  }
  return out;
}

// "12.3 MB" / "512 B" back to bytes (decimal units, as both human_bytes write them).
double parse_size(std::string_view number, std::string_view unit) {
  double v = std::strtod(std::string(number).c_str(), nullptr);
  static constexpr std::string_view units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  for (std::size_t i = 0; i < std::size(units); ++i)
    if (unit == units[i]) return v * std::pow(1000.0, static_cast<double>(i));
  return -1;
}

}  // namespace

std::string_view severity_color(model::Severity s) {
  switch (s) {
    case model::Severity::Critical: return "#b3261e";
    case model::Severity::High: return "#e8710a";
    case model::Severity::Medium: return "#e2b203";
    case model::Severity::Low: return "#1a73e8";
    case model::Severity::Info: return "#80868b";
    case model::Severity::Unknown: break;
  }
  return "#9334e6";  // unknown gates like high: it must not look harmless
}

std::string svg_severity_by_step(const model::Run& run) {
  constexpr double kLabel = 170, kBars = 500, kRow = 30, kTop = 8, kW = kLabel + kBars + 90;
  std::size_t max_total = 1;
  std::vector<StepCounts> counts;
  for (auto& s : run.steps) {
    counts.push_back(step_counts(s));
    std::size_t t = 0;
    for (auto n : counts.back().by) t += n;
    max_total = std::max(max_total, t);
  }
  double h = kTop + kRow * static_cast<double>(run.steps.size()) + 34;
  std::string out = open_svg(kW, h, "Unwaived findings by severity and step");
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    auto& s = run.steps[i];
    double y = kTop + kRow * static_cast<double>(i);
    out += text(kLabel - 10, y + 17, html_text(s.name, 40), "label", "end");
    std::size_t total = 0;
    double x = kLabel;
    for (auto sev : kWorstFirst) {
      std::size_t n = counts[i].by[static_cast<int>(sev)];
      if (n == 0) continue;
      total += n;
      double w = kBars * static_cast<double>(n) / static_cast<double>(max_total);
      out += rect(x, y + 4, std::max(w, 2.0), kRow - 10, severity_color(sev),
                  html_text(s.name, 40) + ": " + std::to_string(n) + " " + std::string(model::to_string(sev)));
      x += std::max(w, 2.0);
    }
    std::string right = std::to_string(total);
    if (s.status == model::StepStatus::Error) right = total ? right + " \xC2\xB7 error" : "error: did not run";
    else if (s.status == model::StepStatus::Skipped) right = "skipped";
    else if (counts[i].waived) right += " (+" + std::to_string(counts[i].waived) + " waived)";
    out += text(x + 6, y + 17, right, s.status == model::StepStatus::Error ? "small err" : "small");
  }
  out += legend(kLabel, h - 10);
  return out + "</svg>";
}

std::string svg_size(const SizeFacts& size) {
  struct Bar {
    std::string label;
    double bytes;
    std::string_view cls;
  };
  std::vector<Bar> bars;
  if (size.bytes) {
    bool over = size.budget && *size.bytes > *size.budget;
    bars.push_back({"image", *size.bytes, over ? "bar-bad" : "bar-ok"});
  }
  if (size.budget) bars.push_back({"budget", *size.budget, "bar-budget"});
  if (size.baseline) bars.push_back({"baseline", *size.baseline, "bar-base"});
  if (bars.empty()) return {};
  double max = 1;
  for (auto& b : bars) max = std::max(max, b.bytes);
  constexpr double kLabel = 90, kBars = 480, kRow = 28, kW = kLabel + kBars + 110;
  std::string out = open_svg(kW, kRow * static_cast<double>(bars.size()) + 8, "Image size against budget and baseline");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    double y = 4 + kRow * static_cast<double>(i);
    double w = kBars * bars[i].bytes / max;
    out += text(kLabel - 10, y + 16, bars[i].label, "label", "end");
    out += rect(kLabel, y + 3, w, kRow - 9, {}, bars[i].label + ": " + human_bytes(bars[i].bytes), bars[i].cls);
    out += text(kLabel + w + 6, y + 16, human_bytes(bars[i].bytes), "small");
  }
  if (size.budget && size.bytes) {  // the budget as a line across the image bar
    double x = kLabel + kBars * *size.budget / max;
    out += "<line x1=\"" + num(x) + "\" y1=\"2\" x2=\"" + num(x) + "\" y2=\"" + num(kRow * static_cast<double>(bars.size()) + 4) +
           "\" class=\"budget-line\"><title>budget " + human_bytes(*size.budget) + "</title></line>";
  }
  return out + "</svg>";
}

std::vector<LayerBar> parse_layers(std::string_view log) {
  std::vector<LayerBar> out;
  bool in = false;
  for (auto& line : util::split(log, '\n')) {
    if (line == "largest layers:") {
      in = true;
      continue;
    }
    if (!in) continue;
    if (!line.starts_with("  ")) break;  // the next block
    if (!line.starts_with("  #")) continue;  // a layer's largest files
    // "  #N SIZE UNIT DIGEST INSTRUCTION" (DIGEST may be empty)
    std::string_view rest = std::string_view(line).substr(3);
    auto take = [&rest]() {
      auto sp = rest.find(' ');
      std::string_view tok = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      return tok;
    };
    LayerBar b;
    auto index = take();
    if (std::from_chars(index.data(), index.data() + index.size(), b.index).ec != std::errc()) continue;
    auto number = take();
    auto unit = take();
    b.bytes = parse_size(number, unit);
    if (b.index <= 0 || b.bytes < 0) continue;
    b.size_text = std::string(number) + " " + std::string(unit);
    b.digest = std::string(take());
    b.instruction = std::string(rest);
    out.push_back(std::move(b));
  }
  return out;
}

std::string svg_layers(const std::vector<LayerBar>& layers) {
  if (layers.empty()) return {};
  double max = 1;
  for (auto& l : layers) max = std::max(max, l.bytes);
  constexpr double kBars = 300, kRow = 40, kW = 860;
  std::string out = open_svg(kW, kRow * static_cast<double>(layers.size()) + 6, "Largest layers and the instruction that made each");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto& l = layers[i];
    double y = 4 + kRow * static_cast<double>(i);
    double w = std::max(2.0, kBars * l.bytes / max);
    std::string label = "#" + std::to_string(l.index) + " " + html_text(l.size_text);
    out += rect(0, y + 2, w, 16, {}, label + " " + html_text(l.digest, 20), "bar-layer");
    out += text(w + 6, y + 15, label, "small strong");
    out += text(0, y + 33, html_text(l.instruction.empty() ? "(no history)" : l.instruction, 110), "mono");
  }
  return out + "</svg>";
}

std::string svg_smoke_timeline(const model::StepResult& smoke) {
  auto metric = [&](const char* k) -> std::optional<double> {
    if (auto it = smoke.metrics.find(k); it != smoke.metrics.end()) return it->second;
    return std::nullopt;
  };
  double total = static_cast<double>(smoke.duration_ms) / 1000.0;
  auto ready = metric("ready_seconds");
  auto stop = metric("stop_seconds");
  auto attempts = metric("attempts");
  auto polls = [&] {
    if (!attempts) return std::string();
    auto n = static_cast<long long>(*attempts);
    return " (" + std::to_string(n) + (n == 1 ? " attempt)" : " attempts)");
  };
  double span = std::max({total, ready.value_or(0) + stop.value_or(0), 0.001});
  constexpr double kX = 20, kW = 640, kWidth = kX + kW + 120;
  auto x_at = [&](double s) { return kX + kW * std::clamp(s / span, 0.0, 1.0); };
  bool failed = smoke.status != model::StepStatus::Passed;
  std::string out = open_svg(kWidth, 74, "Smoke test timeline");
  // start -> ready (polling), ready -> stop, or start -> end without ever being ready
  double ready_x = ready ? x_at(*ready) : x_at(total);
  out += rect(kX, 22, ready_x - kX, 14, {}, ready ? "polling until ready: " + num(*ready) + " s" : "polling: never ready",
              ready ? "seg-poll" : "seg-fail");
  if (ready && stop) out += rect(ready_x, 22, x_at(*ready + *stop) - ready_x, 14, {}, "stopping: " + num(*stop) + " s", "seg-stop");
  out += "<circle cx=\"" + num(kX) + "\" cy=\"29\" r=\"5\" class=\"dot\"><title>started</title></circle>";
  out += text(kX, 14, "start", "small", "start");
  if (ready) {
    out += "<circle cx=\"" + num(ready_x) + "\" cy=\"29\" r=\"6\" class=\"dot-ok\"><title>ready</title></circle>";
    out += text(ready_x, 56, "ready after " + num(*ready) + " s" + polls(), "small", "middle");
  } else {
    out += "<circle cx=\"" + num(ready_x) + "\" cy=\"29\" r=\"6\" class=\"dot-bad\"><title>gave up</title></circle>";
    out += text(ready_x, 56, failed ? "not ready after " + num(total) + " s" + polls() : "done", "small err", "end");
  }
  out += text(kX + kW + 12, 33, "total " + num(total) + " s", "small");
  return out + "</svg>";
}

std::string svg_trend(const std::vector<TrendPoint>& points) {
  if (points.size() < 2) return {};
  std::size_t max_total = 1;
  for (auto& p : points) {
    std::size_t t = 0;
    for (auto n : p.by) t += n;
    max_total = std::max(max_total, t);
  }
  constexpr double kLeft = 50, kH = 160, kTop = 12;
  double col = std::clamp(640.0 / static_cast<double>(points.size()), 14.0, 70.0);
  double w = kLeft + col * static_cast<double>(points.size()) + 20;
  std::string out = open_svg(w, kTop + kH + 100, "Findings per result over time");
  out += text(kLeft - 6, kTop + 8, std::to_string(max_total), "small", "end");
  out += text(kLeft - 6, kTop + kH, "0", "small", "end");
  out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + kH) + "\" x2=\"" + num(w - 10) + "\" y2=\"" +
         num(kTop + kH) + "\" class=\"axis\"/>";
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto& p = points[i];
    double x = kLeft + col * static_cast<double>(i) + col * 0.15;
    double bw = col * 0.7;
    double y = kTop + kH;
    std::size_t total = 0;
    for (auto sev : kWorstFirst) {
      std::size_t n = p.by[static_cast<int>(sev)];
      if (!n) continue;
      total += n;
      double h = kH * static_cast<double>(n) / static_cast<double>(max_total);
      y -= h;
      out += rect(x, y, bw, h, severity_color(sev),
                  html_text(p.label, 40) + ": " + std::to_string(n) + " " + std::string(model::to_string(sev)));
    }
    std::string_view vcls = p.verdict == model::Verdict::Pass ? "dot-ok" : p.verdict == model::Verdict::Fail ? "dot-bad" : "dot-err";
    out += "<circle cx=\"" + num(x + bw / 2) + "\" cy=\"" + num(kTop + kH + 10) + "\" r=\"4\" class=\"" + std::string(vcls) +
           "\"><title>" + std::string(model::to_string(p.verdict)) + ", " + plural(total, "finding") + "</title></circle>";
    if (points.size() <= 12 || i % ((points.size() + 11) / 12) == 0 || i + 1 == points.size())
      out += "<text class=\"small\" transform=\"translate(" + num(x + bw / 2) + " " + num(kTop + kH + 20) +
             ") rotate(35)\">" + html_text(p.label, 24) + "</text>";
  }
  return out + "</svg>";
}

}  // namespace dg::report
