// Fixes as data: the lines a rule's fix makes of the instruction, continuations and spacing kept.
#include "src/lint/lint.hpp"
#include "src/lint/rules.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

const lint::Hit* find(const std::vector<lint::Hit>& hits, std::string_view rule) {
  for (auto& h : hits)
    if (h.rule == rule) return &h;
  return nullptr;
}

}  // namespace

TEST_SUITE("lint.fixes") {
  TEST_CASE("apt-get install without --no-install-recommends gets the option in every command lacking it") {
    auto hits = lint::lint_text("FROM debian:12\n"
                                "RUN apt-get update \\\n"
                                "    && apt-get install -y curl \\\n"
                                "    && apt-get -q install -y --no-install-recommends git \\\n"
                                "    && apt install -y make \\\n"
                                "    && rm -rf /var/lib/apt/lists/*\n",
                                std::string(".git\n"));
    auto* h = find(hits, "DG121");
    REQUIRE(h);
    CHECK(h->line == 2);
    CHECK(h->end_line == 6);
    CHECK(h->fix ==
          "RUN apt-get update \\\n"
          "    && apt-get install --no-install-recommends -y curl \\\n"
          "    && apt-get -q install -y --no-install-recommends git \\\n"
          "    && apt install --no-install-recommends -y make \\\n"
          "    && rm -rf /var/lib/apt/lists/*\n");
  }

  TEST_CASE("pip install without --no-cache-dir gets the option and python -m pip counts") {
    auto hits = lint::lint_text("FROM python:3.12-slim\r\nRUN python -m pip install -r requirements.txt\r\n",
                                std::string(".git\n"));
    auto* h = find(hits, "DG130");
    REQUIRE(h);
    CHECK(h->end_line == 2);
    CHECK(h->fix == "RUN python -m pip install --no-cache-dir -r requirements.txt\n");  // CRLF read, LF written
  }

  TEST_CASE("ADD of local files becomes COPY unless it has flags only ADD takes") {
    auto hits = lint::lint_text("FROM python:3.12-slim\nadd --chown=app app.py /app/\n", std::string(".git\n"));
    auto* h = find(hits, "DG140");
    REQUIRE(h);
    CHECK(h->fix == "copy --chown=app app.py /app/\n");
    auto checksum = lint::lint_text("FROM python:3.12-slim\nADD --checksum=sha256:abc app.py /app/\n",
                                    std::string(".git\n"));
    auto* c = find(checksum, "DG140");
    REQUIRE(c);
    CHECK(c->fix.empty());
    CHECK(c->end_line == 0);
  }

  TEST_CASE("lint findings carry the fix and the instruction range into the model") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", "FROM python:3.12-slim\nRUN pip install \\\n    flask\nADD app.py /app/\n");
    test::write(tmp / ".dockerignore", ".git\n");
    auto step = lint::lint_dockerfile(tmp / "Dockerfile", {});
    const model::Finding* pip = nullptr;
    const model::Finding* user = nullptr;
    for (auto& f : step.findings) {
      if (f.rule_id == "DG130") pip = &f;
      if (f.rule_id == "DG110") user = &f;
    }
    REQUIRE(pip);
    CHECK(pip->location.line == 2);
    CHECK(pip->location.end_line == 3);
    CHECK(pip->fix == "RUN pip install --no-cache-dir \\\n    flask\n");
    if (user) CHECK(user->fix.empty());  // no mechanical fix: which user, created how, is the author's call
  }
}
