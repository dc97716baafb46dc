// Every rule: a Dockerfile that trips it and one that does not.
#include <algorithm>

#include "src/lint/lint.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

const std::string kGoodIgnore = ".git\n__pycache__\n";

// A Dockerfile that follows every practice: each test starts from it and breaks one thing.
const std::string kGood = R"df(# syntax=docker/dockerfile:1
ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
FROM ${BASE} AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM ${BASE}
ARG GIT_COMMIT=unknown
LABEL org.opencontainers.image.revision=$GIT_COMMIT org.opencontainers.image.source=https://example.com/app
ENV PYTHONFAULTHANDLER=1 PYTHONUNBUFFERED=1
COPY --from=build /install /usr/local
COPY . /app
USER 10001
EXPOSE 8000
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
ENTRYPOINT ["python", "-m", "app"]
)df";

std::vector<std::string> rules_of(const std::string& text, const std::optional<std::string>& ignore = kGoodIgnore) {
  std::vector<std::string> out;
  for (auto& h : lint::lint_text(text, ignore)) out.push_back(h.rule + ":" + std::to_string(h.line));
  return out;
}
bool has(const std::vector<std::string>& hits, const std::string& rule) {
  return std::any_of(hits.begin(), hits.end(), [&](auto& h) { return h.starts_with(rule + ":"); });
}
std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE_MESSAGE(pos != std::string::npos, from);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_SUITE("lint.rules") {
  TEST_CASE("the good Dockerfile trips no rule") {
    auto hits = rules_of(kGood);
    std::string all;
    for (auto& h : hits) all += h + " ";
    CHECK_MESSAGE(hits.empty(), all);
  }

  struct Case {
    const char* rule;
    std::string from, to;
  };

  TEST_CASE("each rule fires on its violation and only there") {
    const Case cases[] = {
        {"DG100", "USER 10001", "USR 10001"},
        {"DG101", "ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000", "ARG BASE=python"},
        {"DG102", "ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000", "ARG BASE=python:latest"},
        {"DG103", "ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000", "ARG BASE=python:3.12-slim"},
        {"DG105", "ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000", "ARG BASE=python:3.12-alpine@sha256:00"},
        {"DG106", "ARG BASE=python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000", "ARG BASE=python:3.12@sha256:00"},
        {"DG110", "USER 10001\n", ""},
        {"DG111", "EXPOSE 8000", "EXPOSE 80"},
        {"DG120", "RUN apt-get update && apt-get upgrade -y && apt-get install", "RUN apt-get upgrade -y && apt-get install"},
        {"DG121", "--no-install-recommends ", ""},
        {"DG122", "    && rm -rf /var/lib/apt/lists/*", "    && true"},
        {"DG123", "apt-get upgrade -y && ", ""},
        {"DG124", "apt-get install -y --no", "apt-get install --no"},
        {"DG125", "ARG DEBIAN_FRONTEND=noninteractive\n", ""},
        {"DG126", "ARG DEBIAN_FRONTEND=noninteractive", "ENV DEBIAN_FRONTEND=noninteractive"},
        {"DG130", "pip install --no-cache-dir", "pip install"},
        {"DG140", "COPY . /app", "ADD . /app"},
        {"DG150", R"(ENTRYPOINT ["python", "-m", "app"])", "ENTRYPOINT python -m app"},
        {"DG151", R"x(HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"])x", ""},
        {"DG160", "PYTHONFAULTHANDLER=1 ", ""},
        {"DG161", " PYTHONUNBUFFERED=1", ""},
        {"DG162", "org.opencontainers.image.revision=$GIT_COMMIT ", ""},
        {"DG163", " org.opencontainers.image.source=https://example.com/app", ""},
        {"DG171", "COPY --from=build /install /usr/local\n", "COPY --from=build /install /usr/local\nRUN true\nRUN false\n"},
    };
    for (auto& c : cases) {
      std::string rule = c.rule;
      CAPTURE(rule);
      auto hits = rules_of(replace(kGood, c.from, c.to));
      CHECK(has(hits, c.rule));
      CHECK_FALSE(has(rules_of(kGood), c.rule));
    }
  }

  TEST_CASE("DG104 base image not passed as ARG") {
    auto hits = rules_of("FROM python:3.12-slim@sha256:00\nUSER app\n");
    CHECK(has(hits, "DG104"));
  }

  TEST_CASE("DG131 dependencies installed after copying the code") {
    auto hits = rules_of(replace(kGood, "COPY requirements.txt .\n", "COPY . .\n"));
    CHECK(has(hits, "DG131"));
  }

  TEST_CASE("DG141 and DG142 .dockerignore") {
    CHECK(has(rules_of(kGood, std::nullopt), "DG141"));
    CHECK(has(rules_of(kGood, std::string("node_modules\n")), "DG142"));
    CHECK_FALSE(has(rules_of(kGood, std::string("**/.git\n")), "DG142"));
  }

  TEST_CASE("DG170 compilers in a single-stage build") {
    std::string single = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc\n";
    CHECK(has(rules_of(single), "DG170"));
    CHECK_FALSE(has(rules_of(kGood), "DG170"));
  }

  TEST_CASE("tini as entrypoint makes a shell-form CMD acceptable") {
    auto text = replace(kGood, R"(ENTRYPOINT ["python", "-m", "app"])", "ENTRYPOINT [\"tini\", \"--\"]\nCMD python -m app");
    CHECK_FALSE(has(rules_of(text), "DG150"));
  }

  TEST_CASE("inline and file-wide ignores") {
    auto text = replace(kGood, "EXPOSE 8000", "# dockgate-ignore DG111\nEXPOSE 80");
    CHECK_FALSE(has(rules_of(text), "DG111"));
    auto file = "# dockgate-ignore-file DG110\n" + replace(kGood, "USER 10001\n", "");
    CHECK_FALSE(has(rules_of(file), "DG110"));
  }

  TEST_CASE("USER root in the final stage and distroless nonroot") {
    CHECK(has(rules_of(replace(kGood, "USER 10001", "USER root")), "DG110"));
    CHECK_FALSE(has(rules_of("FROM gcr.io/distroless/python3:nonroot\n"), "DG110"));
  }

  TEST_CASE("an invalid port is reported") {
    auto hits = rules_of(replace(kGood, "EXPOSE 8000", "EXPOSE 80000"));
    CHECK(has(hits, "DG111"));
  }
}
