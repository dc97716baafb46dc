#include "adapters/ci/ci.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("adapters.ci.detect") {
  TEST_CASE("no CI variables means local") {
    CHECK(ci::detect({}).platform == "local");
    CHECK(ci::detect({{"HOME", "/root"}, {"CI", "true"}}).platform == "local");
  }

  TEST_CASE("empty marker variables count as unset") {
    CHECK(ci::detect({{"GITHUB_ACTIONS", ""}, {"GITLAB_CI", ""}, {"JENKINS_URL", ""}}).platform == "local");
  }

  TEST_CASE("each platform by its own marker") {
    CHECK(ci::detect({{"GITHUB_ACTIONS", "true"}}).platform == "github");
    CHECK(ci::detect({{"GITLAB_CI", "true"}}).platform == "gitlab");
    CHECK(ci::detect({{"JENKINS_URL", "https://jenkins.example.com/"}}).platform == "jenkins");
    CHECK(ci::detect({{"JENKINS_HOME", "/var/jenkins_home"}, {"BUILD_URL", "https://j/job/x/1/"}}).platform == "jenkins");
  }
}
