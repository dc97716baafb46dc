#include "src/steps/image/layer_analysis.hpp"

#include "tests/support.hpp"

using namespace dg::steps::image;

namespace {

LayerEntry file(std::string p, std::uint64_t n) { return {std::move(p), n, EntryType::File}; }
LayerEntry dir(std::string p) { return {std::move(p), 0, EntryType::Dir}; }
LayerEntry whiteout(std::string p) { return {std::move(p), 0, EntryType::Whiteout}; }
LayerEntry opaque(std::string p) { return {std::move(p), 0, EntryType::Opaque}; }

LayerContents layer(std::vector<LayerEntry> entries) {
  LayerContents c;
  for (auto& e : entries) c.file_bytes += e.size;
  c.entries = std::move(entries);
  return c;
}

Analysis run(const std::vector<LayerContents>& layers) {
  std::vector<const LayerContents*> ptrs;
  ptrs.reserve(layers.size());
  for (auto& l : layers) ptrs.push_back(&l);
  return analyze_layers(ptrs);
}

}  // namespace

TEST_SUITE("steps.image.analysis") {
  TEST_CASE("an overwrite and a file deletion score as dive scores them") {
    // a: 100 then 50 (cumulative 150, minimum 50); b: 300 then deleted (cumulative 300, minimum 0).
    auto a = run({layer({file("a", 100), file("b", 300)}), layer({file("a", 50), whiteout("b")})});
    CHECK(a.efficiency == doctest::Approx(50.0 / 450.0));
    CHECK(a.wasted_bytes == 450);  // dive counts the surviving copy of `a` too
    CHECK(a.size_bytes == 450);
    CHECK(a.user_size_bytes == 50);
    CHECK(a.user_wasted_ratio == doctest::Approx(9.0));
    CHECK(a.inefficient_paths == 2);
    REQUIRE(a.top_wasted.size() == 2);
    CHECK(a.top_wasted[0].path == "b");
    CHECK(a.top_wasted[0].cumulative_bytes == 300);
    CHECK(a.layers[1].removed == 1);
  }

  TEST_CASE("deleting a directory wastes every file it held") {
    auto a = run({layer({dir("d"), file("d/x", 10), file("d/y", 20), file("keep", 70)}), layer({whiteout("d")})});
    CHECK(a.wasted_bytes == 30);
    CHECK(a.efficiency == doctest::Approx(70.0 / 100.0));
  }

  TEST_CASE("an opaque directory deletes what the lower layers had in it") {
    auto a = run({layer({dir("d"), file("d/x", 10)}), layer({dir("d"), opaque("d"), file("d/z", 5)})});
    CHECK(a.wasted_bytes == 10);
    CHECK(a.efficiency == doctest::Approx(5.0 / 15.0));
  }

  TEST_CASE("only leaves are visited: a directory that has files in the layer is not a path of its own") {
    auto a = run({layer({dir("d"), file("d/x", 5)}), layer({dir("d")})});
    CHECK(a.inefficient_paths == 0);
    CHECK(a.efficiency == doctest::Approx(1.0));
  }

  TEST_CASE("no layers or empty layers have efficiency 1 and no waste") {
    auto none = run({});
    CHECK(none.efficiency == 1.0);
    CHECK(none.wasted_bytes == 0);
    CHECK(none.user_wasted_ratio == 0.0);
    auto empty = run({layer({}), layer({dir("x")})});
    CHECK(empty.efficiency == 1.0);
    CHECK(empty.size_bytes == 0);
  }

  TEST_CASE("the largest files of each layer come largest first") {
    auto a = run({layer({file("s", 1), file("l", 30), file("m", 20), file("t", 2), file("u", 3), file("v", 4)})});
    REQUIRE(a.layers.size() == 1);
    REQUIRE(a.layers[0].largest.size() == 5);
    CHECK(a.layers[0].largest[0].path == "l");
    CHECK(a.layers[0].largest[1].path == "m");
    CHECK(a.layers[0].largest[4].path == "t");
  }

  TEST_CASE("the final filesystem drops os-release deleted by a later layer and finds python") {
    auto l1 = layer({file("etc/os-release", 9), file("usr/local/bin/python3.12", 5)});
    l1.small_files["etc/os-release"] = "ID=alpine";
    auto kept = run({l1});
    CHECK(kept.final_small_files.count("etc/os-release") == 1);
    CHECK(kept.has_python);
    auto gone = run({l1, layer({whiteout("etc/os-release"), whiteout("usr/local/bin/python3.12")})});
    CHECK(gone.final_small_files.empty());
    CHECK_FALSE(gone.has_python);
  }
}
