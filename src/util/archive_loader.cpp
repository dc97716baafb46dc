// libarchive is loaded when an archive is first read or written (a docker-save tar, an image
// layer, a gzipped EPSS feed, the compressed size of a SARIF log), not when dockgate starts: it
// brings libxml2 and ICU with it, and loading them was 6 ms of every run's 11 ms start-up
// (bench/README.md), for the many runs that never open an archive. These definitions stand in
// for the functions dockgate calls and forward to the real ones in libarchive.so.13, found with
// dlopen (the release binary links libarchive statically and has none of this). Without it every
// call fails as libarchive fails, with the reason in archive_error_string, so the caller's own
// error handling carries it to the user.
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>

#include <string>

#include "src/util/shared_library.hpp"

namespace {

struct Archive {
#define DG_ARCHIVE_FUNCTIONS(X)                                                                                    \
  X(archive_read_new) X(archive_read_free) X(archive_read_support_filter_gzip) X(archive_read_support_filter_zstd) \
  X(archive_read_support_filter_xz) X(archive_read_support_filter_bzip2) X(archive_read_support_format_tar)        \
  X(archive_read_support_format_raw) X(archive_read_open) X(archive_read_open_memory) X(archive_read_open_fd)       \
  X(archive_read_next_header) X(archive_read_data) X(archive_write_new) X(archive_write_free)                       \
  X(archive_write_add_filter_gzip) X(archive_write_set_format_raw) X(archive_write_set_filter_option)              \
  X(archive_write_set_bytes_in_last_block) X(archive_write_open) X(archive_write_header) X(archive_write_data)      \
  X(archive_write_close) X(archive_filter_bytes) X(archive_error_string) X(archive_entry_new) X(archive_entry_free) \
  X(archive_entry_filetype) X(archive_entry_hardlink) X(archive_entry_pathname) X(archive_entry_pathname_utf8)     \
  X(archive_entry_size) X(archive_entry_size_is_set) X(archive_entry_symlink) X(archive_entry_set_filetype)        \
  X(archive_entry_set_pathname)
#define DG_SLOT(name) decltype(&::name) name = nullptr;
  DG_ARCHIVE_FUNCTIONS(DG_SLOT)
#undef DG_SLOT
  std::string error;  // why it is not loaded; "" when it is
};

const Archive& lib() {
  static const Archive a = [] {
    Archive a;
    auto lib = dg::util::load_library("DOCKGATE_LIBARCHIVE", {"libarchive.so.13"});
    if (!lib.handle) {
      a.error = "libarchive is not installed (" + lib.asked +
                " could not be loaded); reading images and compressed files needs it: apt-get install libarchive13";
      return a;
    }
    bool ok = true;
#define DG_BIND(name) ok = ok && (a.name = reinterpret_cast<decltype(a.name)>(::dlsym(lib.handle, #name)));
    DG_ARCHIVE_FUNCTIONS(DG_BIND)
#undef DG_BIND
    if (!ok) a.error = "the libarchive found lacks a function dockgate needs (libarchive 3.6 or later is needed)";
    return a;
  }();
  return a;
}

// Without libarchive, handles are stand-ins and every call fails as libarchive's own do.
char g_no_archive;
char g_no_entry;
bool missing() { return !lib().error.empty(); }
archive* none() { return reinterpret_cast<archive*>(&g_no_archive); }

}  // namespace

extern "C" {

archive* archive_read_new() { return missing() ? none() : lib().archive_read_new(); }
int archive_read_free(archive* a) { return missing() ? ARCHIVE_OK : lib().archive_read_free(a); }
int archive_read_support_filter_gzip(archive* a) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_support_filter_gzip(a);
}
int archive_read_support_filter_zstd(archive* a) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_support_filter_zstd(a);
}
int archive_read_support_filter_xz(archive* a) { return missing() ? ARCHIVE_FATAL : lib().archive_read_support_filter_xz(a); }
int archive_read_support_filter_bzip2(archive* a) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_support_filter_bzip2(a);
}
int archive_read_support_format_tar(archive* a) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_support_format_tar(a);
}
int archive_read_support_format_raw(archive* a) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_support_format_raw(a);
}
int archive_read_open(archive* a, void* data, archive_open_callback* open, archive_read_callback* read,
                      archive_close_callback* close) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_open(a, data, open, read, close);
}
int archive_read_open_memory(archive* a, const void* buff, size_t size) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_open_memory(a, buff, size);
}
int archive_read_open_fd(archive* a, int fd, size_t block_size) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_open_fd(a, fd, block_size);
}
int archive_read_next_header(archive* a, archive_entry** entry) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_next_header(a, entry);
}
la_ssize_t archive_read_data(archive* a, void* buff, size_t size) {
  return missing() ? ARCHIVE_FATAL : lib().archive_read_data(a, buff, size);
}

archive* archive_write_new() { return missing() ? none() : lib().archive_write_new(); }
int archive_write_free(archive* a) { return missing() ? ARCHIVE_OK : lib().archive_write_free(a); }
int archive_write_add_filter_gzip(archive* a) { return missing() ? ARCHIVE_FATAL : lib().archive_write_add_filter_gzip(a); }
int archive_write_set_format_raw(archive* a) { return missing() ? ARCHIVE_FATAL : lib().archive_write_set_format_raw(a); }
int archive_write_set_filter_option(archive* a, const char* m, const char* o, const char* v) {
  return missing() ? ARCHIVE_FATAL : lib().archive_write_set_filter_option(a, m, o, v);
}
int archive_write_set_bytes_in_last_block(archive* a, int bytes) {
  return missing() ? ARCHIVE_FATAL : lib().archive_write_set_bytes_in_last_block(a, bytes);
}
int archive_write_open(archive* a, void* data, archive_open_callback* open, archive_write_callback* write,
                       archive_close_callback* close) {
  return missing() ? ARCHIVE_FATAL : lib().archive_write_open(a, data, open, write, close);
}
int archive_write_header(archive* a, archive_entry* entry) {
  return missing() ? ARCHIVE_FATAL : lib().archive_write_header(a, entry);
}
la_ssize_t archive_write_data(archive* a, const void* buff, size_t size) {
  return missing() ? ARCHIVE_FATAL : lib().archive_write_data(a, buff, size);
}
int archive_write_close(archive* a) { return missing() ? ARCHIVE_FATAL : lib().archive_write_close(a); }
la_int64_t archive_filter_bytes(archive* a, int n) { return missing() ? -1 : lib().archive_filter_bytes(a, n); }
const char* archive_error_string(archive* a) {
  return missing() ? lib().error.c_str() : lib().archive_error_string(a);
}

archive_entry* archive_entry_new() {
  return missing() ? reinterpret_cast<archive_entry*>(&g_no_entry) : lib().archive_entry_new();
}
void archive_entry_free(archive_entry* e) {
  if (!missing()) lib().archive_entry_free(e);
}
__LA_MODE_T archive_entry_filetype(archive_entry* e) { return missing() ? 0 : lib().archive_entry_filetype(e); }
const char* archive_entry_hardlink(archive_entry* e) { return missing() ? nullptr : lib().archive_entry_hardlink(e); }
const char* archive_entry_pathname(archive_entry* e) { return missing() ? nullptr : lib().archive_entry_pathname(e); }
const char* archive_entry_pathname_utf8(archive_entry* e) {
  return missing() ? nullptr : lib().archive_entry_pathname_utf8(e);
}
la_int64_t archive_entry_size(archive_entry* e) { return missing() ? 0 : lib().archive_entry_size(e); }
int archive_entry_size_is_set(archive_entry* e) { return missing() ? 0 : lib().archive_entry_size_is_set(e); }
const char* archive_entry_symlink(archive_entry* e) { return missing() ? nullptr : lib().archive_entry_symlink(e); }
void archive_entry_set_filetype(archive_entry* e, unsigned int type) {
  if (!missing()) lib().archive_entry_set_filetype(e, type);
}
void archive_entry_set_pathname(archive_entry* e, const char* name) {
  if (!missing()) lib().archive_entry_set_pathname(e, name);
}

}  // extern "C"
