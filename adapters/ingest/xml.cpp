#include "adapters/ingest/xml.hpp"

#include "src/util/text.hpp"

namespace dg::ingest::xml {

util::Expected<pugi::xml_node> load(const Input& in, pugi::xml_document& doc, std::string_view what) {
  auto text = in.text();
  // parse_default has no parse_doctype: the DOCTYPE is skipped, never interpreted.
  auto res = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res)
    return std::unexpected(in.error_at(static_cast<std::size_t>(res.offset),
                                       std::string(what) + ": malformed XML: " + res.description()));
  return doc.document_element();
}

util::Error error_at(const Input& in, pugi::xml_node node, const std::string& message) {
  auto at = node.offset_debug();
  return at >= 0 ? in.error_at(static_cast<std::size_t>(at), message) : in.error(message);
}

std::string line_after(std::string_view text, std::string_view label) {
  auto p = text.find(label);
  if (p == std::string_view::npos) return {};
  p += label.size();
  auto end = text.find('\n', p);
  return util::trim(text.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p));
}

}  // namespace dg::ingest::xml
