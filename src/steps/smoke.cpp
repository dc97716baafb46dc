#include "src/steps/smoke.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <random>
#include <thread>

#include "src/steps/body_check.hpp"
#include "src/steps/tool_step.hpp"
#include "src/util/process.hpp"
#include "src/util/text.hpp"

namespace dg::steps {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The most of a response body read per poll: a health endpoint says ready in a few bytes, and a
// service streaming without end must not fill our memory before the request's timeout.
constexpr std::size_t kMaxBody = 1 << 20;

namespace {

milliseconds to_ms(Seconds s) { return std::chrono::duration_cast<milliseconds>(s); }

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> d(0, 0xffff);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x%04x", d(rd), d(rd));
  return buf;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& a : v) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Sleeps up to `d`, waking early when dockgate is asked to stop.
void nap(milliseconds d) {
  auto until = Clock::now() + d;
  while (!util::cancel_signal() && Clock::now() < until)
    std::this_thread::sleep_for(std::min(milliseconds(50), std::chrono::duration_cast<milliseconds>(until - Clock::now())));
}

// The service under test: a process group of ours, or a container. Its destructor cleans up,
// so every way out of run_smoke (success, finding, error, interruption) removes it.
class Service {
 public:
  virtual ~Service() = default;
  virtual bool alive(std::string& why) = 0;                    // why: how it ended
  virtual std::optional<bool> stop(milliseconds grace) = 0;    // true = stopped in time; nullopt = cannot tell
  virtual std::string logs(std::size_t lines) = 0;
  virtual void cleanup() = 0;
};

class CommandService final : public Service {
 public:
  CommandService(util::BackgroundProcess p, fs::path log, bool temp_log)
      : proc_(std::move(p)), log_(std::move(log)), temp_log_(temp_log) {}
  ~CommandService() override { cleanup(); }
  bool alive(std::string& why) override {
    if (proc_.running()) return true;
    why = proc_.exit_description();
    return false;
  }
  std::optional<bool> stop(milliseconds grace) override { return proc_.stop(grace); }
  std::string logs(std::size_t lines) override { return proc_.log_tail(lines); }
  void cleanup() override {
    proc_.kill_now();
    if (temp_log_) {
      std::error_code ec;
      fs::remove(log_, ec);
      temp_log_ = false;
    }
  }

 private:
  util::BackgroundProcess proc_;
  fs::path log_;
  bool temp_log_;
};

class ContainerService final : public Service {
 public:
  ContainerService(std::string docker, std::string name) : docker_(std::move(docker)), name_(std::move(name)) {}
  ~ContainerService() override { cleanup(); }
  bool alive(std::string& why) override {
    auto r = docker({"inspect", "-f", "{{.State.Running}}", name_}, milliseconds(15000));
    if (r && r->exit_code == 0 && util::trim(r->out) == "true") return true;
    why = "the container is no longer running";
    return false;
  }
  std::optional<bool> stop(milliseconds grace) override {
    auto secs = std::max<long long>(1, (grace.count() + 999) / 1000);
    auto t0 = Clock::now();
    auto r = docker({"stop", "-t", std::to_string(secs), name_}, grace + milliseconds(30000));
    if (!r || r->exit_code != 0) return std::nullopt;
    // docker stop waits `-t` seconds before SIGKILL: taking (nearly) all of it means SIGTERM was ignored.
    return Clock::now() - t0 < milliseconds(secs * 1000 - 100);
  }
  std::string logs(std::size_t lines) override {
    auto r = docker({"logs", "--tail", std::to_string(lines), name_}, milliseconds(15000));
    if (!r) return {};
    return util::last_lines(r->out + r->err, lines);
  }
  void cleanup() override {
    if (removed_) return;
    removed_ = true;
    // --rm may already have removed it; rm -f is harmless then, and required when it has not.
    (void)docker({"rm", "-f", name_}, milliseconds(60000));
  }

 private:
  util::Expected<util::ProcessResult> docker(std::vector<std::string> args, milliseconds timeout) {
    util::ProcessSpec spec;
    spec.argv = {docker_};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = timeout;
    spec.max_output = 1 << 20;
    return util::run_process(spec);
  }
  std::string docker_, name_;
  bool removed_ = false;
};

model::Finding smoke_finding(std::string rule, std::string title, std::string message, const std::string& target) {
  model::Finding f;
  f.tool = "dockgate";
  f.rule_id = std::move(rule);
  f.severity = model::Severity::Critical;
  f.tool_severity = "critical";
  f.kind = model::Kind::Smoke;
  f.title = std::move(title);
  f.message = std::move(message);
  f.location.target = target;
  f.help_uri = "docs/running.md#the-smoke-test";
  f.sources = {"dockgate"};
  return f;
}

bool is_root_user(const std::string& user) {
  std::string u = util::trim(user);
  std::string name = u.substr(0, u.find(':'));
  return name.empty() || name == "root" || name == "0";
}

}  // namespace

int url_port(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return 0;
  std::string scheme = util::to_lower(url.substr(0, scheme_end));
  auto host_start = scheme_end + 3;
  auto host_end = url.find_first_of("/?#", host_start);
  std::string authority = url.substr(host_start, host_end == std::string::npos ? std::string::npos : host_end - host_start);
  auto at = authority.rfind('@');
  if (at != std::string::npos) authority = authority.substr(at + 1);
  auto bracket = authority.rfind(']');
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    int port = 0;
    auto p = authority.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    return ec == std::errc() && ptr == p.data() + p.size() ? port : 0;
  }
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

std::string loopback_port(const std::string& spec) {
  auto colons = std::count(spec.begin(), spec.end(), ':');
  if (spec.find('[') != std::string::npos || colons >= 2) return spec;  // an address is given
  if (colons == 0) {
    auto slash = spec.find('/');
    std::string port = spec.substr(0, slash);
    return "127.0.0.1:" + port + ":" + spec;
  }
  return "127.0.0.1:" + spec;
}

util::Expected<void> complete_smoke(SmokeStep& cfg, const std::string& default_image) {
  if (cfg.run.empty() && cfg.image.empty()) cfg.image = default_image;
  for (auto& a : cfg.run) {
    for (std::size_t pos; (pos = a.find("${image}")) != std::string::npos;) a.replace(pos, 8, default_image);
  }
  if (cfg.run.empty() && cfg.image.empty())
    return util::fail(util::ErrorKind::Usage,
                      "smoke-test: nothing to start: give --image or --command (steps.smoke-test.run or image:)");
  if (cfg.url.empty())
    return util::fail(util::ErrorKind::Usage, "smoke-test: no URL to poll: give --url or --port (steps.smoke-test.url)");
  return {};
}

model::StepResult run_smoke(const SmokeStep& cfg, util::HttpTransport& http, const SmokeEnv& env) {
  model::StepResult step;
  step.name = model::step::kSmoke;
  step.tool = "dockgate";
  auto t_start = Clock::now();
  auto finish = [&]() -> model::StepResult {
    step.duration_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t_start).count();
    if (!step.errors.empty()) step.status = model::StepStatus::Error;
    else if (!step.findings.empty()) step.status = model::StepStatus::Failed;
    return std::move(step);
  };
  auto error = [&](std::string why) {
    step.errors.push_back(std::move(why));
    return finish();
  };

  if (cfg.url.empty()) return error("smoke-test: no url to poll (set steps.smoke-test.url, or --url)");
  if (cfg.run.empty() && cfg.image.empty())
    return error("smoke-test: nothing to start (set steps.smoke-test.run to a command, or image)");
  auto body_check = BodyCheck::parse(cfg.expect_body);
  if (!body_check) return error("smoke-test: " + body_check.error());
  const BodyCheck& body = *body_check;

  // --- start it
  std::unique_ptr<Service> service;
  std::string target;
  if (!cfg.run.empty()) {
    target = join(cfg.run);
    fs::path log;
    bool temp_log = env.log_dir.empty();
    if (temp_log) {
      log = fs::temp_directory_path() / ("dockgate-smoke-" + std::to_string(::getpid()) + "-" + random_suffix() + ".log");
    } else {
      std::error_code ec;
      fs::create_directories(env.log_dir, ec);
      log = env.log_dir / "smoke-test.log";
    }
    util::BackgroundSpec spec;
    spec.argv = cfg.run;
    spec.log = log;
    bool not_found = false;
    auto p = util::BackgroundProcess::start(spec, &not_found);
    if (!p) {
      if (not_found && cfg.run[0] == env.docker) return error(not_found_message("docker", cfg.run[0]));
      return error("smoke-test: cannot start `" + target + "`: " + p.error().message);
    }
    step.metrics["pid"] = p->pid();
    service = std::make_unique<CommandService>(std::move(*p), log, temp_log);
  } else {
    target = cfg.image;
    if (util::which(env.docker).empty()) return error(not_found_message("docker", env.docker));
    std::string name = "dockgate-smoke-" + random_suffix();
    std::vector<std::string> ports = cfg.ports;
    if (ports.empty()) {
      int port = url_port(cfg.url);
      if (port == 0) return error("smoke-test: cannot tell the port from " + cfg.url + " (set ports)");
      ports.push_back(std::to_string(port));
    }
    util::ProcessSpec spec;
    spec.argv = {env.docker, "run", "--rm", "-d", "--name", name};
    for (auto& p : ports) {
      spec.argv.push_back("-p");
      spec.argv.push_back(loopback_port(p));
    }
    spec.argv.push_back(cfg.image);
    spec.timeout = std::chrono::minutes(10);  // may include pulling the image
    // From here on the container may exist: the service object removes it on every path.
    service = std::make_unique<ContainerService>(env.docker, name);
    auto r = util::run_process(spec);
    if (!r) return error("smoke-test: cannot run docker: " + r.error().message);
    if (r->not_found) return error(not_found_message("docker", env.docker));
    if (r->cancelled) return error("smoke-test: interrupted (signal " + std::to_string(r->cancelled) + ")");
    if (r->timed_out || r->signal || r->exit_code != 0) {
      step.log_excerpt = util::last_lines(r->err + r->out, static_cast<std::size_t>(std::max(1, cfg.log_lines)));
      // docker's own last words ("Cannot connect to the Docker daemon…", "pull access denied…") say why.
      auto why = util::trim(util::last_lines(r->err, 1));
      return error("smoke-test: docker run " + cfg.image + " failed" +
                   (r->timed_out ? std::string(" (timed out)") : " with exit code " + std::to_string(r->exit_code)) +
                   (why.empty() ? std::string() : ": " + why));
    }
    step.metrics["container"] = 1;
  }

  // --- poll until ready
  auto lines = static_cast<std::size_t>(std::max(1, cfg.log_lines));
  auto t_poll = Clock::now();
  auto deadline = t_poll + to_ms(cfg.timeout);
  std::string last;       // the last thing we saw, for the message
  long last_status = 0;   // the last HTTP status (0 = no answer yet)
  bool last_truncated = false;  // the last body was longer than kMaxBody: only its start was checked
  bool ready = false, exited = false;
  std::string exit_why;
  int attempts = 0;  // said in the message: "waited 3 s" alone does not tell a slow poll from a dead one
  while (true) {
    if (util::cancel_signal()) break;
    ++attempts;
    util::HttpRequest req;
    req.url = cfg.url;
    double remaining = std::chrono::duration<double>(deadline - Clock::now()).count();
    req.timeout_s = std::clamp(remaining, 0.2, 10.0);
    req.connect_timeout_s = req.timeout_s;
    req.max_body = kMaxBody;
    auto resp = http.send(req);
    if (resp.status != 0) {
      last_status = resp.status;
      last_truncated = resp.body_truncated;
      if (resp.status == cfg.expect_status && body.matches(resp.body)) {
        ready = true;
        break;
      }
      last = "HTTP " + std::to_string(resp.status) +
             (resp.status == cfg.expect_status ? " without the expected body" : "");
    } else {
      last = resp.connection_refused ? "connection refused" : resp.error;
    }
    if (!service->alive(exit_why)) {
      exited = true;
      break;
    }
    if (Clock::now() >= deadline) break;
    nap(std::min(to_ms(cfg.interval), std::chrono::duration_cast<milliseconds>(deadline - Clock::now())));
  }
  if (int sig = util::cancel_signal()) {
    service->cleanup();
    return error("smoke-test: interrupted by signal " + std::to_string(sig) + "; the service was stopped");
  }

  step.metrics["attempts"] = attempts;  // the HTML timeline: how many polls it took, or were in vain
  if (ready) {
    step.metrics["ready_seconds"] = seconds_since(t_poll);
    // A service that answers once and then dies is not fit to ship either.
    nap(milliseconds(300));
    if (!service->alive(exit_why)) {
      step.findings.push_back(smoke_finding("smoke/exited", "The service exited right after it answered",
                                            target + " answered " + cfg.url + " and then exited (" + exit_why + ")", target));
    } else if (cfg.check_stop) {
      auto t_stop = Clock::now();
      auto in_time = service->stop(to_ms(cfg.stop_timeout));
      step.metrics["stop_seconds"] = seconds_since(t_stop);
      if (in_time && !*in_time) {
        step.findings.push_back(smoke_finding(
            "smoke/slow-stop", "The service did not stop on SIGTERM",
            target + " was still running " + std::to_string(cfg.stop_timeout.count()) +
                "s after SIGTERM and was killed. Use the exec form of ENTRYPOINT/CMD (or an init such as tini) "
                "so the signal reaches the application, and handle SIGTERM.",
            target));
      }
    }
  } else if (exited) {
    step.findings.push_back(smoke_finding("smoke/exited", "The service exited before it was ready",
                                          target + " exited (" + exit_why + ") before " + cfg.url + " answered" +
                                              (last.empty() ? "" : " (last: " + last + ")"),
                                          target));
  } else if (last_status != 0 && last_status != cfg.expect_status) {
    step.findings.push_back(smoke_finding(
        "smoke/bad-status", "The service answered with the wrong status",
        cfg.url + " answered HTTP " + std::to_string(last_status) + ", expected " + std::to_string(cfg.expect_status) +
            " (waited " + std::to_string(static_cast<long long>(cfg.timeout.count())) + " s, " +
            std::to_string(attempts) + (attempts == 1 ? " attempt)" : " attempts)"),
        target));
  } else if (last_status != 0) {
    step.findings.push_back(smoke_finding("smoke/bad-body", "The service answered without the expected body",
                                          cfg.url + " answered HTTP " + std::to_string(last_status) + " but the body " +
                                              (last_truncated ? "(its first MiB) " : "") +
                                              (body.is_regex() ? "does not match " : "does not contain ") +
                                              cfg.expect_body,
                                          target));
  } else {
    step.findings.push_back(smoke_finding(
        "smoke/not-ready", "The service did not become ready in time",
        cfg.url + " did not answer within " + std::to_string(static_cast<long long>(cfg.timeout.count())) + " s (" +
            std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + (last.empty() ? "" : ", last: " + last) + ")",
        target));
  }

  if (!cfg.image.empty() && cfg.run.empty() && cfg.check_non_root) {
    util::ProcessSpec spec;
    spec.argv = {env.docker, "image", "inspect", "-f", "{{.Config.User}}", cfg.image};
    spec.timeout = milliseconds(30000);
    auto r = util::run_process(spec);
    if (r && r->exit_code == 0 && is_root_user(r->out)) {
      step.findings.push_back(smoke_finding(
          "smoke/runs-as-root", "The image runs as root",
          cfg.image + " has no non-root USER (" + (util::trim(r->out).empty() ? "none set" : util::trim(r->out)) +
              "): add a USER instruction with an unprivileged user",
          target));
    }
  }

  if (!step.findings.empty()) step.log_excerpt = service->logs(lines);
  service->cleanup();
  return finish();
}

}  // namespace dg::steps
