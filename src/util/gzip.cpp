#include "src/util/gzip.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

namespace dg::util {

Expected<std::size_t> gzip_size(std::string_view data, int level) {
  // libarchive (already linked for image layers) writes a bare gzip stream with the raw format;
  // the callback only counts, nothing is kept.
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
  std::size_t total = 0;
  auto count = [](archive*, void* user, const void*, size_t n) -> la_ssize_t {
    *static_cast<std::size_t*>(user) += n;
    return static_cast<la_ssize_t>(n);
  };
  auto fail = [&](const char* what) {
    const char* msg = archive_error_string(a.get());
    Error e;
    e.message = std::string("gzip: ") + what + ": " + (msg ? msg : "unknown error");
    return e;
  };
  if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK) return std::unexpected(fail("filter"));
  std::string lv = std::to_string(level);
  if (archive_write_set_filter_option(a.get(), "gzip", "compression-level", lv.c_str()) != ARCHIVE_OK)
    return std::unexpected(fail("level"));
  if (archive_write_set_format_raw(a.get()) != ARCHIVE_OK) return std::unexpected(fail("format"));
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), &total, nullptr, count, nullptr) != ARCHIVE_OK) return std::unexpected(fail("open"));
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), "data");
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) return std::unexpected(fail("header"));
  std::size_t off = 0;
  while (off < data.size()) {
    auto n = archive_write_data(a.get(), data.data() + off, data.size() - off);
    if (n <= 0) return std::unexpected(fail("write"));
    off += static_cast<std::size_t>(n);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return std::unexpected(fail("close"));
  return total;
}

bool is_gzip(std::string_view data) { return data.size() >= 2 && data[0] == '\x1f' && data[1] == '\x8b'; }

Expected<std::string> gunzip(std::string_view data, std::size_t max_bytes) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  auto fail = [&](const std::string& what) {
    const char* msg = archive_error_string(a.get());
    Error e;
    e.kind = ErrorKind::Input;
    e.message = "gzip: " + what + (msg ? std::string(": ") + msg : std::string());
    return std::unexpected(std::move(e));
  };
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK) return fail("cannot open the stream");
  archive_entry* entry = nullptr;
  if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) return fail("not a gzip stream");
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) return fail("corrupt or truncated");
    if (out.size() + static_cast<std::size_t>(n) > max_bytes)
      return fail("more than " + std::to_string(max_bytes >> 20) + " MiB uncompressed");
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace dg::util
