#include "src/util/gzip.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dg::util {

// libarchive (already linked for image layers) writes a bare gzip stream with the raw format; the
// callback only counts, nothing is kept.
struct GzipCounter::State {
  std::unique_ptr<archive, decltype(&archive_write_free)> a{archive_write_new(), archive_write_free};
  std::size_t total = 0;
  std::string error;   // the first failure; later calls do nothing (the worker's, once it runs)
  bool ready = false;  // set up without error: set once by the constructor, read by add()

  // Compression runs on a thread of its own, beside the writer that makes the text: it was a
  // quarter of `gate --json --sarif --junit` on one core. Pieces wait in a short queue (the
  // writer waits when it is full), so memory stays a few pieces whatever the log's size.
  static constexpr std::size_t kQueued = 4;
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::string> queue;
  std::vector<std::string> spare;  // compressed pieces, cleared: their buffers go back to the writer
  bool closed = false;
  std::thread worker;

  void compress() {
    for (;;) {
      std::string piece;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return closed || !queue.empty(); });
        if (queue.empty()) return;  // closed and drained
        piece = std::move(queue.front());
        queue.pop_front();
      }
      write(piece);
      piece.clear();
      {
        std::lock_guard lock(m);
        spare.push_back(std::move(piece));
      }
      cv.notify_all();  // room for the writer
    }
  }

  void write(std::string_view data) {
    while (error.empty() && !data.empty()) {
      auto n = archive_write_data(a.get(), data.data(), data.size());
      if (n <= 0) {
        fail("write");
        return;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void stop() {
    if (!worker.joinable()) return;
    {
      std::lock_guard lock(m);
      closed = true;
    }
    cv.notify_all();
    worker.join();
  }

  void fail(const char* what) {
    if (!error.empty()) return;
    const char* msg = archive_error_string(a.get());
    error = std::string("gzip: ") + what + ": " + (msg ? msg : "unknown error");
  }
};

GzipCounter::GzipCounter(int level) : state_(std::make_unique<State>()) {
  auto* a = state_->a.get();
  auto count = [](archive*, void* user, const void*, size_t n) -> la_ssize_t {
    *static_cast<std::size_t*>(user) += n;
    return static_cast<la_ssize_t>(n);
  };
  std::string lv = std::to_string(level);
  if (archive_write_add_filter_gzip(a) != ARCHIVE_OK) {
    state_->fail("filter");
    return;
  }
  if (archive_write_set_filter_option(a, "gzip", "compression-level", lv.c_str()) != ARCHIVE_OK) {
    state_->fail("level");
    return;
  }
  if (archive_write_set_format_raw(a) != ARCHIVE_OK) {
    state_->fail("format");
    return;
  }
  archive_write_set_bytes_in_last_block(a, 1);
  if (archive_write_open(a, &state_->total, nullptr, count, nullptr) != ARCHIVE_OK) {
    state_->fail("open");
    return;
  }
  // The raw format takes one regular file and does not hold it to a size.
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), "data");
  archive_entry_set_filetype(e.get(), AE_IFREG);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) {
    state_->fail("header");
    return;
  }
  state_->ready = true;
}

GzipCounter::~GzipCounter() { state_->stop(); }

void GzipCounter::add(std::string_view data) {
  // Copied in pieces of at most 1 MiB: a whole log given at once is not held twice.
  constexpr std::size_t kPiece = std::size_t{1} << 20;
  std::string piece;
  while (!data.empty()) {
    piece.assign(data.substr(0, kPiece));
    data.remove_prefix(piece.size());
    take(piece);
  }
}

void GzipCounter::take(std::string& piece) {
  auto& st = *state_;
  if (piece.empty() || !st.ready) return;
  if (!st.worker.joinable()) st.worker = std::thread([&st] { st.compress(); });
  std::unique_lock lock(st.m);
  st.cv.wait(lock, [&] { return st.queue.size() < State::kQueued; });
  st.queue.push_back(std::move(piece));
  // A buffer that was compressed already, so the writer does not fault in fresh pages for
  // every piece (a new 1 MiB string each time cost more than the thread saved).
  if (!st.spare.empty()) {
    piece = std::move(st.spare.back());
    st.spare.pop_back();
  } else {
    piece = std::string();
  }
  lock.unlock();
  st.cv.notify_all();
}

Expected<std::size_t> GzipCounter::finish() {
  state_->stop();  // everything added is compressed once the worker is done
  if (state_->error.empty() && archive_write_close(state_->a.get()) != ARCHIVE_OK) state_->fail("close");
  if (!state_->error.empty()) {
    Error e;
    e.message = state_->error;
    return std::unexpected(e);
  }
  return state_->total;
}

Expected<std::size_t> gzip_size(std::string_view data, int level) {
  GzipCounter gz(level);
  gz.add(data);
  return gz.finish();
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
