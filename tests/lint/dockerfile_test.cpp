#include "src/lint/dockerfile.hpp"
#include "src/lint/shell.hpp"
#include "tests/support.hpp"

using namespace dg::lint;

TEST_SUITE("lint.dockerfile") {
  TEST_CASE("continuations with comments inside and case-insensitive keywords") {
    auto df = parse_dockerfile("from debian:12\nrun apt-get update \\\n  # a comment\n  && apt-get install -y curl\nUSER app\n");
    REQUIRE(df.stages.size() == 1);
    auto& ins = df.stages[0].instructions;
    REQUIRE(ins.size() == 2);
    CHECK(ins[0].keyword == "RUN");
    CHECK(ins[0].line == 2);
    CHECK(ins[0].end_line == 4);
    CHECK(ins[0].args.find("apt-get install -y curl") != std::string::npos);
    CHECK(ins[1].line == 5);
  }

  TEST_CASE("the escape directive switches to backtick") {
    auto df = parse_dockerfile("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\nUSER x\n");
    CHECK(df.escape == '`');
    REQUIRE(df.stages.size() == 1);
    CHECK(df.stages[0].instructions[0].args.find("c:\\") != std::string::npos);
    CHECK(df.stages[0].instructions.size() == 2);
  }

  TEST_CASE("heredocs belong to their instruction") {
    auto df = parse_dockerfile("FROM debian\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\nUSER app\n");
    auto& ins = df.stages[0].instructions;
    REQUIRE(ins.size() == 2);
    REQUIRE(ins[0].heredocs.size() == 1);
    CHECK(ins[0].heredocs[0].body == "apt-get update\napt-get install -y x\n");
    CHECK(ins[1].keyword == "USER");
    CHECK(ins[1].line == 6);
  }

  TEST_CASE("exec form and flags") {
    auto df = parse_dockerfile("FROM a AS build\nFROM b\nCOPY --from=build --chown=app /x /y\nCMD [\"python\", \"-m\", \"app\"]\n");
    REQUIRE(df.stages.size() == 2);
    CHECK(df.stages[0].alias == "build");
    auto& copy = df.stages[1].instructions[0];
    CHECK(copy.flag("from") == "build");
    CHECK(copy.flag("chown") == "app");
    CHECK(copy.args == "/x /y");
    auto& cmd = df.stages[1].instructions[1];
    CHECK(cmd.json_form);
    CHECK(cmd.json_args.size() == 3);
  }

  TEST_CASE("ARG before FROM expands in FROM and stage references are recognized") {
    auto df = parse_dockerfile("ARG PY=3.12\nARG BASE=python:${PY}-slim\nFROM ${BASE} AS base\nFROM base\n");
    REQUIRE(df.stages.size() == 2);
    CHECK(df.stages[0].resolved == "python:3.12-slim");
    CHECK(df.stages[1].from_stage);
  }

  TEST_CASE("FROM a stage index: in range is a stage and beyond unsigned long is an image not a crash") {
    auto df = parse_dockerfile("FROM a AS build\nFROM 0\nFROM 99999999999999999999999999\nFROM 7\n");
    REQUIRE(df.stages.size() == 4);
    CHECK(df.stages[1].from_stage);
    CHECK_FALSE(df.stages[2].from_stage);
    CHECK_FALSE(df.stages[3].from_stage);
  }

  TEST_CASE("CRLF and a BOM") {
    auto df = parse_dockerfile("\xEF\xBB\xBF" "FROM debian:12\r\nRUN echo hi \\\r\n  there\r\n");
    REQUIRE(df.stages.size() == 1);
    CHECK(df.stages[0].instructions[0].args == "echo hi    there");
  }

  TEST_CASE("unknown instructions are problems with their line") {
    auto df = parse_dockerfile("FROM a\nFROBNICATE x\n");
    REQUIRE(df.problems.size() == 1);
    CHECK(df.problems[0].line == 2);
  }

  TEST_CASE("variable expansion forms") {
    std::map<std::string, std::string> v{{"A", "1"}, {"E", ""}};
    CHECK(expand_vars("$A-${A}-${B:-d}-${A:+x}-${E:-e}", v) == "1-1-d-x-e");
  }

  TEST_CASE("shell splitting recognizes chains and quotes") {
    auto cmds = split_commands("DEBIAN_FRONTEND=noninteractive apt-get install -y 'a b' && rm -rf /var/lib/apt/lists/* || echo \"x;y\"");
    REQUIRE(cmds.size() == 3);
    CHECK(cmds[0].assignments.size() == 1);
    CHECK(program(cmds[0]) == "apt-get");
    CHECK(cmds[0].has("a b"));
    CHECK(program(cmds[1]) == "rm");
    CHECK(cmds[2].has("x;y"));
  }
}
