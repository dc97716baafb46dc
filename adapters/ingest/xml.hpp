#pragma once
// What the XML report parsers (bandit, hadolint, checkstyle, trivy's JUnit template) share:
// loading with pugixml, positions for errors, and the "Label: value" lines of JUnit failure text.
// pugixml never reads a DTD nor expands entities other than the five predefined ones and
// character references: a DOCTYPE with entity declarations is skipped, its references stay text.
#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "adapters/ingest/input.hpp"

namespace dg::ingest::xml {

// Parses `in` into `doc` and returns its root element; malformed XML is an Input error at the
// offset pugixml stopped, prefixed with `what` ("bandit XML").
util::Expected<pugi::xml_node> load(const Input& in, pugi::xml_document& doc, std::string_view what);

// An Input error at the node's position in the file (or the file alone when unknown).
util::Error error_at(const Input& in, pugi::xml_node node, const std::string& message);

// The rest of the line after `label` in `text`, trimmed; empty when `label` is absent.
std::string line_after(std::string_view text, std::string_view label);

}  // namespace dg::ingest::xml
