#pragma once
// A Dockerfile parser that follows BuildKit's rules rather than line regexes: parser directives
// (`# escape=`), line continuations with comments inside them, heredocs (`RUN <<EOF`), exec (JSON)
// vs shell form, flags (`COPY --from=`), multi-stage `FROM … AS name`, `ARG` before `FROM` with
// variable expansion, CRLF files and a UTF-8 BOM. Instructions are case-insensitive.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dg::lint {

struct Heredoc {
  std::string delimiter;
  std::string body;
};

struct Instruction {
  std::string keyword;             // upper case: FROM, RUN, …
  std::string args;                // everything after the keyword and the flags, continuations joined
  std::vector<std::string> flags;  // --from=builder, --chown=app, --mount=…
  bool json_form = false;          // ["a", "b"]
  std::vector<std::string> json_args;
  std::vector<Heredoc> heredocs;
  int line = 0;                    // first line (1-based)
  int end_line = 0;
  std::vector<std::string> ignores;  // rule ids from `# dockgate-ignore DG101 DG102` just above
  std::string flag(std::string_view name) const;  // value of --name=value, "" when absent
};

struct Stage {
  std::string image;     // as written, e.g. python:${PY}-slim
  std::string resolved;  // with ARGs declared before the first FROM expanded
  std::string alias;     // AS name (lower case)
  std::string platform;
  bool from_stage = false;  // FROM refers to an earlier stage, not an image
  int line = 0;
  std::vector<Instruction> instructions;  // after FROM (FROM itself excluded)
};

struct ParseProblem {
  int line = 0;
  std::string message;
};

struct Dockerfile {
  char escape = '\\';
  std::vector<Instruction> global_args;  // ARGs before the first FROM
  std::vector<Stage> stages;
  std::vector<Instruction> all;          // every instruction in order, FROM included
  std::vector<ParseProblem> problems;    // unknown instructions, malformed lines
  std::vector<std::string> file_ignores; // `# dockgate-ignore-file DG123`
};

Dockerfile parse_dockerfile(std::string_view text);

// ${VAR}, $VAR, ${VAR:-default}, ${VAR:+alt} with `vars`; unknown variables expand to "".
std::string expand_vars(std::string_view s, const std::map<std::string, std::string>& vars, char escape = '\\');

bool is_known_instruction(std::string_view upper);

}  // namespace dg::lint
