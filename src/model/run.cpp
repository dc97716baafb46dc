#include "src/model/run.hpp"

#include "src/util/text.hpp"

namespace dg::model {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Error: break;
  }
  return "error";
}

Verdict parse_verdict(std::string_view s) {
  if (util::iequals(s, "pass")) return Verdict::Pass;
  if (util::iequals(s, "fail")) return Verdict::Fail;
  return Verdict::Error;
}

}  // namespace dg::model
