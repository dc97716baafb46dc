#pragma once
// JSON text appended to a string in the layout of nlohmann::json's dump(2): two-space indents,
// "key": value, empty containers as {} and []. For the writers whose files are pretty-printed
// (SARIF): building an nlohmann document per result and serializing it was most of the time of
// `--sarif` on large reports (bench/README.md). Strings and numbers go through json_out's
// routines, so the text is byte for byte what nlohmann writes.
#include <string>
#include <string_view>
#include <vector>

namespace dg::report {

class PrettyJson {
 public:
  explicit PrettyJson(std::string& out) : out_(out) {}
  PrettyJson(const PrettyJson&) = delete;
  PrettyJson& operator=(const PrettyJson&) = delete;

  // Values: at the top, after key(), or as the next element of the innermost array.
  PrettyJson& object();
  PrettyJson& array();
  PrettyJson& end();  // closes the innermost object or array
  PrettyJson& str(std::string_view v);
  PrettyJson& num(long long v);
  PrettyJson& real(double v);
  PrettyJson& boolean(bool v);
  PrettyJson& strings(const std::vector<std::string>& v);

  // The next member of the innermost object; keys are the writers' own ASCII names.
  PrettyJson& key(std::string_view k);

  // A member in one call.
  PrettyJson& str(std::string_view k, std::string_view v) { return key(k).str(v); }
  PrettyJson& num(std::string_view k, long long v) { return key(k).num(v); }
  PrettyJson& real(std::string_view k, double v) { return key(k).real(v); }
  PrettyJson& boolean(std::string_view k, bool v) { return key(k).boolean(v); }
  PrettyJson& strings(std::string_view k, const std::vector<std::string>& v) { return key(k).strings(v); }
  PrettyJson& object(std::string_view k) { return key(k).object(); }
  PrettyJson& array(std::string_view k) { return key(k).array(); }

 private:
  void element();  // in an array: the separator and indent before the next element
  void member();   // a separator and indent before the next member or element
  std::string& out_;
  struct Level {
    bool array;
    bool empty;
  };
  std::vector<Level> open_;
};

}  // namespace dg::report
