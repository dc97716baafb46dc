#include "src/report/json_pretty.hpp"

#include <charconv>

#include "src/report/json_out.hpp"

namespace dg::report {

void PrettyJson::member() {
  auto& top = open_.back();
  out_ += top.empty ? "\n" : ",\n";
  top.empty = false;
  out_.append(2 * open_.size(), ' ');
}

void PrettyJson::element() {
  if (!open_.empty() && open_.back().array) member();
}

PrettyJson& PrettyJson::key(std::string_view k) {
  member();
  out_ += '"';
  out_ += k;
  out_ += "\": ";
  return *this;
}

PrettyJson& PrettyJson::object() {
  element();
  out_ += '{';
  open_.push_back({false, true});
  return *this;
}

PrettyJson& PrettyJson::array() {
  element();
  out_ += '[';
  open_.push_back({true, true});
  return *this;
}

PrettyJson& PrettyJson::end() {
  Level top = open_.back();
  open_.pop_back();
  if (!top.empty) {
    out_ += '\n';
    out_.append(2 * open_.size(), ' ');
  }
  out_ += top.array ? ']' : '}';
  return *this;
}

PrettyJson& PrettyJson::str(std::string_view v) {
  element();
  append_json_string(out_, v);
  return *this;
}

PrettyJson& PrettyJson::num(long long v) {
  element();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out_.append(buf, static_cast<std::size_t>(end - buf));
  return *this;
}

PrettyJson& PrettyJson::real(double v) {
  element();
  append_json_real(out_, v);
  return *this;
}

PrettyJson& PrettyJson::boolean(bool v) {
  element();
  out_ += v ? "true" : "false";
  return *this;
}

PrettyJson& PrettyJson::strings(const std::vector<std::string>& v) {
  array();
  for (auto& s : v) str(s);
  return end();
}

}  // namespace dg::report
