#pragma once
// An image as dockgate sees it, whatever it was read from: config fields, layers in order, and
// (when the layer tars were available) the list of entries of every layer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dg::steps::image {

enum class EntryType : std::uint8_t { File, Dir, Symlink, Hardlink, Other, Whiteout, Opaque };

// One tar entry of a layer. `path` is normalized (no leading "./" or "/", no trailing "/").
// For a whiteout `.wh.NAME`, path is the deleted path; for an opaque marker, the directory.
struct LayerEntry {
  std::string path;
  std::uint64_t size = 0;  // tar header size (0 for directories, links, whiteouts)
  EntryType type = EntryType::File;
};

struct LayerContents {
  std::vector<LayerEntry> entries;  // in tar order
  std::uint64_t file_bytes = 0;     // sum of entry sizes: dive's layer size
  std::uint64_t tar_bytes = 0;      // the uncompressed tar stream, as read
  std::map<std::string, std::string> small_files;  // os-release and friends, when this layer adds them
};

struct HistoryEntry {
  std::string created;
  std::string created_by;
  std::string comment;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string created;  // RFC 3339, as written
  std::string os, architecture;
  std::string user;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  bool has_healthcheck = false;            // a Healthcheck that is not NONE
  std::map<std::string, std::string> labels;
  std::vector<std::string> env;            // KEY=VALUE
  std::vector<HistoryEntry> history;
  std::vector<std::string> diff_ids;
};

struct Layer {
  std::string digest;      // blob digest (sha256:…), or the archive entry name when there is none
  std::string diff_id;     // digest of the uncompressed tar, from the config
  std::string media_type;
  std::optional<std::uint64_t> blob_bytes;  // as stored (compressed when `compressed`)
  bool compressed = false;
  std::string created_by;  // the instruction that made it (config history)
  std::optional<LayerContents> contents;  // when the layer tar was read
};

struct Image {
  std::string source;  // "oci:DIR:tag", "docker-archive:FILE", "inspect:FILE", "docker:REF"
  std::string name;    // a repo tag or ref name when known
  std::string id;      // config digest or image id
  ImageConfig config;
  std::vector<Layer> layers;
  std::optional<std::uint64_t> reported_size;  // docker image inspect .Size (no layer tars then)
  std::vector<std::string> warnings;
};

// Gives each layer the created_by of its history entry: history lists every instruction, those
// with empty_layer made no layer, the others match the layers in order.
void align_history(Image& img);

// "RUN pip install …" from "/bin/sh -c #(nop)  CMD …", "RUN |1 X=y /bin/sh -c …", "… # buildkit".
std::string instruction_of(const std::string& created_by);

}  // namespace dg::steps::image
