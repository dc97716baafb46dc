#include "src/steps/image/layer_analysis.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace dg::steps::image {

namespace {

struct PathEfficiency {
  std::uint64_t cumulative = 0;
  std::uint64_t minimum = std::numeric_limits<std::uint64_t>::max();
  int visits = 0;
};

struct Node {
  std::uint64_t size = 0;
  EntryType type = EntryType::File;
};

// The filesystem as the layers below the current one leave it, ordered so that a directory's
// descendants ("dir/…") form one range.
using Stack = std::map<std::string, Node, std::less<>>;

std::pair<Stack::iterator, Stack::iterator> descendants(Stack& s, const std::string& dir) {
  return {s.lower_bound(dir + "/"), s.lower_bound(dir + "0")};  // '0' follows '/' in ASCII
}

bool under_prefix(const Stack& s, std::string_view prefix) {
  auto it = s.lower_bound(prefix);
  return it != s.end() && std::string_view(it->first).starts_with(prefix);
}

}  // namespace

Analysis analyze_layers(const std::vector<const LayerContents*>& layers, const AnalysisOptions& opt) {
  Analysis out;
  std::unordered_map<std::string, PathEfficiency> paths;
  Stack stack;
  std::map<std::string, std::string> small_files;

  auto visit = [&paths](const std::string& path, std::uint64_t bytes) {
    auto& p = paths[path];
    p.cumulative += bytes;
    p.minimum = std::min(p.minimum, bytes);
    ++p.visits;
  };

  for (std::size_t li = 0; li < layers.size(); ++li) {
    const LayerContents& layer = *layers[li];
    LayerStats st;
    st.bytes = layer.file_bytes;
    st.entries = layer.entries.size();
    out.size_bytes += layer.file_bytes;
    if (li > 0) out.user_size_bytes += layer.file_bytes;

    // dive visits only leaves of the layer's own tree: a path with nothing below it in this layer.
    std::unordered_set<std::string_view> parents;
    std::unordered_set<std::string_view> added;
    for (auto& e : layer.entries) {
      if (e.type == EntryType::Opaque) continue;
      std::string_view p = e.path;
      for (auto slash = p.find('/'); slash != std::string_view::npos; slash = p.find('/', slash + 1))
        parents.insert(p.substr(0, slash));
      if (e.type != EntryType::Whiteout) added.insert(p);
    }

    for (auto& e : layer.entries) {
      if (e.type == EntryType::Opaque) {
        auto [lo, hi] = descendants(stack, e.path);
        for (auto it = lo; it != hi; ++it)
          if (it->second.type != EntryType::Dir && !added.count(it->first)) visit(it->first, 0);
        continue;
      }
      if (parents.count(e.path)) continue;
      if (e.type == EntryType::Whiteout) {
        ++st.removed;
        // A deleted file is a second visit of its path, sized 0 (its bytes stay counted in the
        // lower layer). A deleted directory is such a visit of every file it held.
        auto [lo, hi] = descendants(stack, e.path);
        for (auto it = lo; it != hi; ++it)
          if (it->second.type != EntryType::Dir && !added.count(it->first)) visit(it->first, 0);
        if (auto self = stack.find(e.path); self != stack.end() && self->second.type != EntryType::Dir)
          visit(e.path, 0);
        continue;
      }
      visit(e.path, e.size);
    }

    std::vector<const LayerEntry*> files;
    for (auto& e : layer.entries)
      if (e.type == EntryType::File) files.push_back(&e);
    auto n = std::min(opt.largest_per_layer, files.size());
    std::partial_sort(files.begin(), files.begin() + static_cast<std::ptrdiff_t>(n), files.end(),
                      [](const LayerEntry* a, const LayerEntry* b) {
                        return a->size != b->size ? a->size > b->size : a->path < b->path;
                      });
    for (std::size_t i = 0; i < n; ++i) st.largest.push_back({files[i]->path, files[i]->size});
    out.layers.push_back(std::move(st));

    // Deletions apply to the layers below only, so they go first.
    for (auto& e : layer.entries) {
      if (e.type != EntryType::Whiteout && e.type != EntryType::Opaque) continue;
      auto [lo, hi] = descendants(stack, e.path);
      stack.erase(lo, hi);
      if (e.type == EntryType::Whiteout) stack.erase(e.path);
    }
    for (auto& e : layer.entries)
      if (e.type != EntryType::Whiteout && e.type != EntryType::Opaque) stack[e.path] = Node{e.size, e.type};
    for (auto& [path, text] : layer.small_files) small_files[path] = text;
  }

  std::uint64_t minimum = 0, cumulative = 0;
  std::vector<Inefficiency> wasted;
  for (auto& [path, p] : paths) {
    minimum += p.minimum;
    cumulative += p.cumulative;
    if (p.visits >= 2) {
      out.wasted_bytes += p.cumulative;
      wasted.push_back({path, p.cumulative, p.visits});
    }
  }
  out.inefficient_paths = wasted.size();
  out.efficiency = cumulative == 0 ? 1.0 : static_cast<double>(minimum) / static_cast<double>(cumulative);
  out.user_wasted_ratio =
      out.user_size_bytes == 0 ? 0.0 : static_cast<double>(out.wasted_bytes) / static_cast<double>(out.user_size_bytes);
  auto top = std::min(opt.top_wasted, wasted.size());
  std::partial_sort(wasted.begin(), wasted.begin() + static_cast<std::ptrdiff_t>(top), wasted.end(),
                    [](const Inefficiency& a, const Inefficiency& b) {
                      return a.cumulative_bytes != b.cumulative_bytes ? a.cumulative_bytes > b.cumulative_bytes
                                                                      : a.path < b.path;
                    });
  wasted.resize(top);
  out.top_wasted = std::move(wasted);

  for (auto& [path, text] : small_files)
    if (stack.count(path)) out.final_small_files[path] = text;
  out.has_python = under_prefix(stack, "usr/local/bin/python") || under_prefix(stack, "usr/bin/python");
  return out;
}

}  // namespace dg::steps::image
