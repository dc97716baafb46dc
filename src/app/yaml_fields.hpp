#pragma once
// Typed reads from a yaml-cpp tree with file:line:col errors, shared by dockgate.yml and the
// waiver files. Reads throw FieldError; the loaders catch it at their boundary and return it
// as a Usage error value.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "src/util/error.hpp"

namespace dg::app::yaml {

struct FieldError {
  util::Error error;
};

struct Doc {
  std::string file;  // shown in errors
};

[[noreturn]] void fail_at(const Doc& doc, const YAML::Mark& mark, std::string message);

// Parses text; a syntax error is a Usage error at its line:col.
util::Expected<YAML::Node> parse(const Doc& doc, const std::string& text);

// Rejects keys that are not in `allowed`, suggesting the closest one ("did you mean …?").
void check_keys(const Doc& doc, const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                std::string_view where);
// The closest of `candidates` to `word` by edit distance, or "" when none is close.
std::string did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates);
std::size_t edit_distance(std::string_view a, std::string_view b);

// A map (null counts as an empty map).
void need_map(const Doc& doc, const YAML::Node& n, std::string_view what);
std::string scalar(const Doc& doc, const YAML::Node& n, std::string_view what);
bool boolean(const Doc& doc, const YAML::Node& n, std::string_view what);
long integer(const Doc& doc, const YAML::Node& n, std::string_view what, long min, long max);
double number(const Doc& doc, const YAML::Node& n, std::string_view what);
// "file:line" of a node: where a waiver or a VEX statement came from, for notices.
std::string where(const Doc& doc, const YAML::Node& n);
// A list of scalars; a single scalar is a list of one.
std::vector<std::string> strings(const Doc& doc, const YAML::Node& n, std::string_view what);

}  // namespace dg::app::yaml
