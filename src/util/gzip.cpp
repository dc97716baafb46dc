#include "src/util/gzip.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace dg::util {

Expected<std::size_t> gzip_size(std::string_view data) {
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

}  // namespace dg::util
