#include "src/steps/image/docker_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "src/steps/image/image_config.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/util/digest.hpp"
#include "src/util/file.hpp"

namespace dg::steps::image {

namespace {

using nlohmann::json;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

struct Member {
  std::uint64_t size = 0;
  bool compressed = false;
  util::Expected<LayerContents> layer = util::fail(util::ErrorKind::Input, "not a layer");
};

bool looks_like_json(const char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    char c = p[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' || c == '[';
  }
  return false;
}

bool looks_compressed(const unsigned char* p, std::size_t n) {
  if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return true;                                // gzip
  if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) return true;  // zstd
  return false;
}

// "x/../a.tar" style targets of legacy layer.tar symlinks, relative to the link's directory.
std::string resolve_link(const std::string& link, const std::string& target) {
  std::string base = link.substr(0, link.rfind('/') == std::string::npos ? 0 : link.rfind('/'));
  std::vector<std::string> parts;
  for (auto& p : std::vector<std::string>{base, target}) {
    std::size_t start = 0;
    while (start <= p.size()) {
      auto end = p.find('/', start);
      if (end == std::string::npos) end = p.size();
      std::string part = p.substr(start, end - start);
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      start = end + 1;
    }
  }
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string digest_of_member(const std::string& name) {
  // blobs/sha256/<hex> (Docker 25+) or <hex>.tar (skopeo) or <hex>/layer.tar (legacy docker).
  auto is_hex = [](std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  };
  if (name.starts_with("blobs/")) {
    auto rest = name.substr(6);
    auto slash = rest.find('/');
    if (slash != std::string::npos) return rest.substr(0, slash) + ":" + rest.substr(slash + 1);
  }
  std::string_view stem = name;
  if (stem.ends_with(".tar")) stem.remove_suffix(4);
  else if (stem.ends_with(".json")) stem.remove_suffix(5);
  if (stem.ends_with("/layer")) stem.remove_suffix(6);
  if (is_hex(stem)) return "sha256:" + std::string(stem);
  return name;
}

// "" when the content of blobs/sha256/<hex> hashes to <hex>, else what is wrong.
std::string blob_mismatch(const std::string& name, const char* data, std::size_t n) {
  auto hash = util::Digester::for_digest(digest_of_member(name));
  if (!hash) return {};  // not a digest name after all: nothing to verify
  hash->update(data, n);
  if (hash->matches()) return {};
  return "blob " + digest_of_member(name) + " does not match its digest (its content hashes to " + hash->actual() +
         "): the archive is corrupt or was tampered with";
}

}  // namespace

util::Expected<Image> read_docker_archive(const std::filesystem::path& tar, const std::string& tag) {
  const std::string file = tar.string();
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_format_tar(a.get());
  // Opened as every input is (a FIFO or device is refused, not waited on), then read from that
  // descriptor: libarchive's own open would block on a FIFO forever.
  auto in = util::open_input(tar, std::numeric_limits<std::uintmax_t>::max());
  if (!in) return std::unexpected(in.error());
  if (archive_read_open_fd(a.get(), in->fd(), 64 * 1024) != ARCHIVE_OK) {
    const char* m = archive_error_string(a.get());
    return util::fail(util::ErrorKind::Input, std::string("cannot open docker archive: ") + (m ? m : "?"), file);
  }

  std::map<std::string, std::string> json_members;
  std::uint64_t json_total = 0;
  std::map<std::string, Member> members;
  std::map<std::string, std::string> links;
  archive_entry* entry = nullptr;
  std::uint64_t index = 0;
  std::string chunk(64 * 1024, '\0');
  for (;;) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    ++index;
    if (rc < ARCHIVE_WARN) {
      const char* m = archive_error_string(a.get());
      return util::fail(util::ErrorKind::Input,
                        "not a readable docker archive (entry " + std::to_string(index) + "): " + (m ? m : "?"), file);
    }
    const char* raw = archive_entry_pathname(entry);
    if (!raw) continue;
    std::string name = normalize_path(raw);
    if (archive_entry_filetype(entry) == AE_IFLNK) {
      if (const char* t = archive_entry_symlink(entry)) links[name] = resolve_link(name, t);
      continue;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::uint64_t size = archive_entry_size(entry) > 0 ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;

    // Peek at the start to tell JSON (manifests, configs) from layer tars: blobs/sha256/… names
    // say nothing about what they hold.
    char peek[512];
    auto got = archive_read_data(a.get(), peek, sizeof peek);
    if (got < 0) {
      const char* m = archive_error_string(a.get());
      return util::fail(util::ErrorKind::Input, "cannot read " + name + ": " + (m ? m : "?"), file);
    }
    auto peek_n = static_cast<std::size_t>(got);
    if (looks_like_json(peek, peek_n)) {
      if (size > kMaxJsonMember || json_total + size > kMaxJsonTotal) continue;  // not a config we could use
      std::string text(peek, peek_n);
      text.reserve(size);
      for (;;) {
        auto n = archive_read_data(a.get(), chunk.data(), chunk.size());
        if (n < 0) return util::fail(util::ErrorKind::Input, "cannot read " + name, file);
        if (n == 0) break;
        if (text.size() + static_cast<std::size_t>(n) > kMaxJsonMember) break;
        text.append(chunk.data(), static_cast<std::size_t>(n));
      }
      json_total += text.size();
      if (name.starts_with("blobs/sha256/") && text.size() == size)
        if (auto bad = blob_mismatch(name, text.data(), text.size()); !bad.empty())
          return util::fail(util::ErrorKind::Input, bad, file + ":" + name);
      json_members[name] = std::move(text);
      continue;
    }
    if (name == "repositories" || name.ends_with("/VERSION") || name.ends_with("/json") || name == "oci-layout")
      continue;
    // Anything else may be a layer: stream it through a nested tar reader, the peeked bytes first.
    Member m;
    m.size = size;
    m.compressed = looks_compressed(reinterpret_cast<const unsigned char*>(peek), peek_n);
    bool peek_sent = false;
    archive* outer = a.get();
    // Content-addressed members (Docker 25+ writes blobs/sha256/<hex>) are verified as they stream.
    std::optional<util::Digester> hash;
    if (name.starts_with("blobs/sha256/"))
      if (auto d = util::Digester::for_digest(digest_of_member(name))) hash = std::move(*d);
    if (hash) hash->update(peek, peek_n);
    ChunkReader next = [&](const void** buf) -> std::int64_t {
      if (!peek_sent) {
        peek_sent = true;
        if (peek_n > 0) {
          *buf = peek;
          return static_cast<std::int64_t>(peek_n);
        }
      }
      auto n = archive_read_data(outer, chunk.data(), chunk.size());
      if (n > 0 && hash) hash->update(chunk.data(), static_cast<std::size_t>(n));
      *buf = chunk.data();
      return n;
    };
    m.layer = read_layer_stream(next, file + ":" + name);
    if (hash && m.layer) {
      const void* ignored = nullptr;
      while (next(&ignored) > 0) {
      }  // the digest covers the member to its end, past the tar's end-of-archive marker
      if (!hash->matches())
        m.layer = util::fail(util::ErrorKind::Input,
                             "blob " + digest_of_member(name) + " does not match its digest (its content hashes to " +
                                 hash->actual() + "): the archive is corrupt or was tampered with",
                             file + ":" + name);
    }
    members[name] = std::move(m);
  }

  auto mtext = json_members.find("manifest.json");
  if (mtext == json_members.end())
    return util::fail(util::ErrorKind::Input, "no manifest.json: not a docker save archive", file);
  auto manifest = parse_json(mtext->second, file + ":manifest.json");
  if (!manifest) return std::unexpected(manifest.error());
  if (!manifest->is_array() || manifest->empty() || !(*manifest)[0].is_object())
    return util::fail(util::ErrorKind::Input, "manifest.json: expected a non-empty array of images", file);

  const json* chosen = nullptr;
  std::string name;
  for (auto& m : *manifest) {
    std::vector<std::string> tags;
    if (auto t = m.find("RepoTags"); t != m.end() && t->is_array())
      for (auto& v : *t)
        if (v.is_string()) tags.push_back(v.get<std::string>());
    if (tag.empty()) {
      chosen = &m;
      if (!tags.empty()) name = tags.front();
      break;
    }
    for (auto& s : tags)
      if (s == tag || s.ends_with(":" + tag)) {
        chosen = &m;
        name = s;
      }
    if (chosen) break;
  }
  if (!chosen) return util::fail(util::ErrorKind::Input, "no image tagged " + tag + " in the archive", file);
  if (!chosen->is_object()) return util::fail(util::ErrorKind::Input, "manifest.json: an image is not an object", file);

  Image img;
  img.source = "docker-archive:" + file;
  img.name = name;
  auto cfg_name = chosen->find("Config");
  if (cfg_name == chosen->end() || !cfg_name->is_string())
    return util::fail(util::ErrorKind::Input, "manifest.json: the image has no Config", file);
  std::string cfg_member = normalize_path(cfg_name->get<std::string>());
  auto cfg_text = json_members.find(cfg_member);
  if (cfg_text == json_members.end())
    return util::fail(util::ErrorKind::Input, "manifest.json names config " + cfg_member + ", which the archive lacks",
                      file);
  auto cfg = parse_json(cfg_text->second, file + ":" + cfg_member);
  if (!cfg) return std::unexpected(cfg.error());
  img.config = config_from_json(*cfg);
  img.id = digest_of_member(cfg_member);

  auto layers = chosen->find("Layers");
  if (layers == chosen->end() || !layers->is_array())
    return util::fail(util::ErrorKind::Input, "manifest.json: the image has no Layers", file);
  std::size_t i = 0;
  for (auto& l : *layers) {
    if (!l.is_string()) return util::fail(util::ErrorKind::Input, "manifest.json: a layer name is not a string", file);
    std::string lname = normalize_path(l.get<std::string>());
    // Legacy archives dedupe identical layers with symlinks; follow a few hops at most.
    for (int hop = 0; hop < 8 && !members.count(lname) && links.count(lname); ++hop) lname = links[lname];
    auto it = members.find(lname);
    if (it == members.end())
      return util::fail(util::ErrorKind::Input, "manifest.json names layer " + l.get<std::string>() +
                                                    ", which the archive lacks", file);
    if (!it->second.layer) return std::unexpected(it->second.layer.error());
    Layer layer;
    layer.digest = digest_of_member(lname);
    layer.blob_bytes = it->second.size;
    layer.compressed = it->second.compressed;
    if (i < img.config.diff_ids.size()) layer.diff_id = img.config.diff_ids[i];
    layer.contents = *it->second.layer;
    img.layers.push_back(std::move(layer));
    ++i;
  }
  align_history(img);
  return img;
}

}  // namespace dg::steps::image
