#include <charconv>
#include <memory>

#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/steps/smoke.hpp"
#include "src/util/log.hpp"
#include "src/util/process.hpp"

namespace dg::app {

namespace {

util::Error make_error(util::ErrorKind kind, std::string message) {
  util::Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

// "60s", "2m", "500ms" (dockgate.yml syntax) or a plain number of seconds.
util::Expected<steps::Seconds> cli_duration(const std::string& text) {
  if (auto d = parse_duration(text)) return *d;
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && v >= 0 && (p == text.data() + text.size() || std::string_view(p) == "s"))
    return steps::Seconds(v);
  return util::fail(util::ErrorKind::Usage, "not a duration: " + text + " (use e.g. 60s, 2m, 500ms)");
}

struct SmokeOptions {
  std::string image, url, path = "/", expect_body, timeout, interval, stop_timeout;
  std::vector<std::string> command, ports;
  int expect_status = 0, log_lines = 0;
  bool no_stop_check = false, no_root_check = false;
  CommonOptions common;
};

int run_smoke_cmd(SmokeOptions& o, Io& io) {
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);
  steps::SmokeStep s = cfg->smoke;
  if (!o.command.empty()) {
    s.run = o.command;
    s.image.clear();
  } else if (!o.image.empty()) {
    s.image = o.image;
    s.run.clear();
  }
  if (!o.ports.empty()) s.ports = o.ports;
  if (!o.url.empty()) s.url = o.url;
  else if (!o.ports.empty() || s.url.empty()) {
    // --port 8000 --path /health  ->  http://127.0.0.1:8000/health (the host side of the first port)
    std::string first = o.ports.empty() ? std::string() : steps::loopback_port(o.ports.front());
    if (!first.empty()) {
      auto a = first.find(':');
      auto b = first.find(':', a + 1);
      std::string path = o.path.starts_with('/') ? o.path : "/" + o.path;
      s.url = "http://127.0.0.1:" + first.substr(a + 1, b - a - 1) + path;
    }
  }
  if (o.expect_status) s.expect_status = o.expect_status;
  if (!o.expect_body.empty()) s.expect_body = o.expect_body;
  if (o.log_lines) s.log_lines = o.log_lines;
  if (o.no_stop_check) s.check_stop = false;
  if (o.no_root_check) s.check_non_root = false;
  for (auto [text, into, name] : {std::tuple{&o.timeout, &s.timeout, "--timeout"},
                                  std::tuple{&o.interval, &s.interval, "--interval"},
                                  std::tuple{&o.stop_timeout, &s.stop_timeout, "--stop-timeout"}}) {
    if (text->empty()) continue;
    auto d = cli_duration(*text);
    if (!d) return report_error(make_error(util::ErrorKind::Usage, std::string(name) + ": " + d.error().message), io);
    *into = *d;
  }
  if (auto e = steps::complete_smoke(s, cfg->image); !e) return report_error(e.error(), io);

  util::SignalGuard guard;
  util::reset_cancel();
  auto http = util::make_curl_transport();
  steps::SmokeEnv env;
  if (!o.common.quiet) io.err << "dockgate: smoke-test started\n";
  model::Run run;
  run.steps.push_back(steps::run_smoke(s, *http, env));
  if (int sig = util::cancel_signal()) {
    io.err << "dockgate: interrupted by signal " << sig << "; the service was cleaned up\n";
    return 128 + sig;
  }
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_smoke(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<SmokeOptions>();
  auto* cmd = app.add_subcommand("smoke", "Start the service, poll its URL until it answers, always clean up");
  cmd->footer(
      "Examples:\n"
      "  dockgate smoke --image app:dev --port 8000 --path /health\n"
      "  dockgate smoke --url http://127.0.0.1:8000/health -- python3 -m app --port 8000\n"
      "  dockgate smoke --image app:dev --port 8080:8000 --expect-body '/\"status\": *\"ok\"/' --timeout 90s\n\n"
      "An image runs with `docker run --rm -d --name dockgate-smoke-<random> -p 127.0.0.1:HOST:CONTAINER`\n"
      "and is removed with `docker rm -f` whatever happens; a command runs in its own process group,\n"
      "which is killed (SIGTERM, then SIGKILL after --stop-timeout) whatever happens.\n"
      "Findings (exit 1): smoke/not-ready, smoke/bad-status, smoke/bad-body, smoke/exited,\n"
      "smoke/slow-stop, smoke/runs-as-root. A service that cannot be started is exit 4.");
  cmd->add_option("--image", o->image, "Image to run with docker");
  cmd->add_option("--command", o->command, "Command that starts the service (or give it after --)")->expected(-1);
  cmd->add_option("cmd", o->command, "Command that starts the service, after --");
  cmd->add_option("--port", o->ports, "docker -p value (8000 or HOST:CONTAINER); bound to 127.0.0.1 unless an address is given");
  cmd->add_option("--path", o->path, "Path to poll on the first --port (default /)");
  cmd->add_option("--url", o->url, "URL to poll (default http://127.0.0.1:PORT/PATH)");
  cmd->add_option("--expect-status", o->expect_status, "Status that means ready (default 200)");
  cmd->add_option("--expect-body", o->expect_body, "Text the body must contain, or /regex/");
  cmd->add_option("--timeout", o->timeout, "How long to wait for readiness (default 60s)");
  cmd->add_option("--interval", o->interval, "Time between polls (default 1s)");
  cmd->add_option("--stop-timeout", o->stop_timeout, "It must stop within this after SIGTERM (default 10s)");
  cmd->add_option("--log-lines", o->log_lines, "Lines of the service's output kept when it fails (default 40)");
  cmd->add_flag("--no-stop-check", o->no_stop_check, "Do not check that it stops promptly on SIGTERM");
  cmd->add_flag("--no-root-check", o->no_root_check, "Do not check that the image runs as a non-root user");
  cmd->get_option("--command")->excludes("--image");
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_smoke_cmd(*o, io); });
}

}  // namespace dg::app
