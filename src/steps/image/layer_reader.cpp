#include "src/steps/image/layer_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "src/util/digest.hpp"
#include "src/util/file.hpp"

namespace dg::steps::image {

namespace {

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

ArchivePtr new_layer_reader() {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_format_tar(a.get());
  return a;
}

util::Error layer_error(archive* a, const std::string& name, std::uint64_t entry, std::string_view what) {
  const char* msg = archive_error_string(a);
  util::Error e;
  e.kind = util::ErrorKind::Input;
  e.file = name;
  e.message = std::string(what) + " (entry " + std::to_string(entry) + "): " + (msg ? msg : "unreadable tar");
  return e;
}

util::Expected<LayerContents> read_entries(archive* a, const std::string& name) {
  LayerContents out;
  archive_entry* entry = nullptr;
  std::uint64_t index = 0;
  for (;;) {
    int rc = archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return std::unexpected(layer_error(a, name, index, "not a readable layer tar"));
    if (++index > kMaxLayerEntries)
      return util::fail(util::ErrorKind::Input, "layer has more than " + std::to_string(kMaxLayerEntries) + " entries",
                        name);
    const char* raw = archive_entry_pathname(entry);
    if (!raw) raw = archive_entry_pathname_utf8(entry);
    if (!raw) continue;
    std::string path = normalize_path(raw);
    if (path.empty()) continue;

    LayerEntry e;
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    std::string_view dir = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
    if (base == ".wh..wh..opq") {
      e.type = EntryType::Opaque;
      e.path = std::string(dir);
    } else if (base.starts_with(".wh.")) {
      e.type = EntryType::Whiteout;
      e.path = dir.empty() ? std::string(base.substr(4)) : std::string(dir) + "/" + std::string(base.substr(4));
    } else {
      e.path = std::move(path);
      auto type = archive_entry_filetype(entry);
      if (archive_entry_hardlink(entry)) e.type = EntryType::Hardlink;
      else if (type == AE_IFREG) e.type = EntryType::File;
      else if (type == AE_IFDIR) e.type = EntryType::Dir;
      else if (type == AE_IFLNK) e.type = EntryType::Symlink;
      else e.type = EntryType::Other;
      if (e.type == EntryType::File && archive_entry_size_is_set(entry)) {
        auto size = archive_entry_size(entry);
        e.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
      }
      if (e.type == EntryType::File && e.size <= kMaxSmallFile && is_small_file_of_interest(e.path)) {
        std::string text(e.size, '\0');
        auto n = archive_read_data(a, text.data(), text.size());
        if (n < 0) return std::unexpected(layer_error(a, name, index, "cannot read " + e.path));
        text.resize(static_cast<std::size_t>(n));
        out.small_files[e.path] = std::move(text);
      }
    }
    if (!add_bytes(out.file_bytes, e.size))
      return util::fail(util::ErrorKind::Input,
                        "layer claims more than " + std::to_string(kMaxImageBytes >> 30) + " GiB of files (entry " +
                            std::to_string(index) + ", " + e.path.substr(0, 200) + ", says " + std::to_string(e.size) +
                            " bytes): not an image dockgate measures",
                        name);
    out.entries.push_back(std::move(e));
  }
  auto consumed = archive_filter_bytes(a, 0);
  out.tar_bytes = consumed > 0 ? static_cast<std::uint64_t>(consumed) : 0;
  return out;
}

struct StreamCtx {
  const ChunkReader* read;
};

la_ssize_t stream_read(archive*, void* ctx, const void** buf) {
  return static_cast<la_ssize_t>((*static_cast<StreamCtx*>(ctx)->read)(buf));
}

}  // namespace

std::string normalize_path(std::string_view p) {
  for (;;) {
    if (p.starts_with("./")) p.remove_prefix(2);
    else if (p.starts_with("/")) p.remove_prefix(1);
    else break;
  }
  while (p.ends_with("/")) p.remove_suffix(1);
  if (p == ".") return {};
  return std::string(p);
}

bool is_small_file_of_interest(std::string_view path) {
  return path == "etc/os-release" || path == "usr/lib/os-release" || path == "etc/alpine-release";
}

util::Expected<LayerContents> read_layer_file(const std::filesystem::path& blob, const std::string& digest) {
  const std::string name = blob.string();
  auto file = util::open_input(blob, std::numeric_limits<std::uintmax_t>::max());
  if (!file) return std::unexpected(file.error());
  std::optional<util::Digester> hash;
  if (!digest.empty()) {
    auto d = util::Digester::for_digest(digest);
    if (!d) return util::fail(util::ErrorKind::Input, d.error().message, name);
    hash = std::move(*d);
  }
  std::vector<char> buf(256 * 1024);
  int err = 0;
  ChunkReader next = [&](const void** out) -> std::int64_t {
    for (;;) {
      ssize_t n = ::read(file->fd(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) err = errno;
      if (n > 0 && hash) hash->update(buf.data(), static_cast<std::size_t>(n));
      *out = buf.data();
      return n;
    }
  };
  auto contents = read_layer_stream(next, name);
  if (!contents) return contents;
  if (hash) {
    // The tar reader stops at the end-of-archive marker; the digest covers every byte.
    const void* ignored = nullptr;
    while (next(&ignored) > 0) {
    }
    if (err) return util::fail(util::ErrorKind::Input, std::string("read error: ") + std::strerror(err), name);
    if (!hash->matches())
      return util::fail(util::ErrorKind::Input,
                        "blob " + digest + " does not match its digest (its content hashes to " + hash->actual() +
                            "): the layout is corrupt or was tampered with",
                        name);
  }
  return contents;
}

util::Expected<LayerContents> read_layer_stream(const ChunkReader& read, const std::string& name) {
  auto a = new_layer_reader();
  StreamCtx ctx{&read};
  if (archive_read_open(a.get(), &ctx, nullptr, stream_read, nullptr) != ARCHIVE_OK)
    return std::unexpected(layer_error(a.get(), name, 0, "cannot open layer"));
  return read_entries(a.get(), name);
}

}  // namespace dg::steps::image
