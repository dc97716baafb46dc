#pragma once
// dive's analysis of the layer file trees, without dive: efficiency, wasted bytes, user wasted
// percent, and the largest files each layer adds.
//
// The definitions follow dive (filetree/efficiency.go, image/docker/image_archive.go), so the
// CI gates mean the same as in a .dive-ci file:
//  - every leaf path of every layer (a file, link or empty directory) adds its size to the
//    path's cumulative size and lowers the path's minimum; deleting a file (whiteout) is a visit
//    of that path sized 0;
//  - efficiency = sum of minimum sizes / sum of cumulative sizes (1 when both are 0);
//  - wasted bytes = sum of cumulative sizes of the paths seen in more than one layer (the
//    surviving copy of an overwritten file included, as dive does);
//  - layer size = sum of the tar entry sizes; user size = all layers but the first;
//    user wasted percent = wasted bytes / user size (a ratio; 0 when there is no user size).
// Where dockgate differs from dive, on purpose: deleting a directory (a whiteout of it, or an
// opaque marker .wh..wh..opq in it) is a deletion of each file it held, so those bytes count as
// wasted. dive sizes a deleted directory as one new path (which raises the efficiency) and
// ignores opaque markers. For images that delete only files, the numbers are dive's.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/steps/image/image.hpp"

namespace dg::steps::image {

struct FileSize {
  std::string path;
  std::uint64_t bytes = 0;
};

struct LayerStats {
  std::uint64_t bytes = 0;        // dive's layer size
  std::uint64_t entries = 0;
  std::uint64_t removed = 0;      // paths this layer deletes (whiteouts)
  std::vector<FileSize> largest;  // the largest files it adds, largest first
};

struct Inefficiency {
  std::string path;
  std::uint64_t cumulative_bytes = 0;
  int layers = 0;  // how many layers touch it
};

struct Analysis {
  double efficiency = 1.0;
  std::uint64_t size_bytes = 0;
  std::uint64_t user_size_bytes = 0;
  std::uint64_t wasted_bytes = 0;
  double user_wasted_ratio = 0.0;
  std::uint64_t inefficient_paths = 0;
  std::vector<Inefficiency> top_wasted;  // largest cumulative size first
  std::vector<LayerStats> layers;
  // The final filesystem, for the config checks.
  std::map<std::string, std::string> final_small_files;  // os-release etc. as the image ends up
  bool has_python = false;                               // a python executable in the final filesystem
};

struct AnalysisOptions {
  std::size_t largest_per_layer = 5;
  std::size_t top_wasted = 10;
};

Analysis analyze_layers(const std::vector<const LayerContents*>& layers, const AnalysisOptions& opt = {});

}  // namespace dg::steps::image
