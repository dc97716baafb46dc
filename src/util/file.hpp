#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "src/util/error.hpp"

namespace dg::util {

// Reports larger than this are refused before allocation (bounded sizes, DESIGN "Security").
inline constexpr std::uintmax_t kMaxInputBytes = 4ull << 30;
// Configuration, waiver files, Dockerfiles and other text a person writes: far below this.
inline constexpr std::uintmax_t kMaxTextBytes = 64ull << 20;

// An input opened by the rule every input follows: opened once, with O_NONBLOCK so that a FIFO
// cannot block the open, then fstat on that descriptor: only a regular file (or "-", stdin) is
// read. Whatever the path names afterwards does not matter: the descriptor is what is read.
class InputFile {
 public:
  InputFile() = default;
  ~InputFile();
  InputFile(InputFile&& o) noexcept;
  InputFile& operator=(InputFile&& o) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return fd_; }
  bool regular() const { return regular_; }  // false for stdin that is a pipe or terminal
  std::uint64_t size() const { return size_; }  // a regular file's size when opened
  const std::string& name() const { return name_; }

 private:
  friend Expected<InputFile> open_input(const std::filesystem::path& path, std::uintmax_t max_bytes);
  int fd_ = -1;
  bool owned_ = false;  // stdin is not closed
  bool regular_ = false;
  std::uint64_t size_ = 0;
  std::string name_;
};

// Missing files, directories, FIFOs, devices and sockets are Input errors that name the path and
// say what it is; so is a regular file over `max_bytes` (checked before anything is allocated).
Expected<InputFile> open_input(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxInputBytes);

// Reads an opened input to its end. `extra` bytes of zeroed slack are reserved past the end
// (parsers that read ahead, such as simdjson, need them). A stream without a size (stdin) stops
// with an Input error as soon as it passes `max_bytes`.
Expected<std::string> read_all(InputFile& in, std::size_t extra = 0, std::uintmax_t max_bytes = kMaxInputBytes);

// open_input + read_all.
Expected<std::string> read_file(const std::filesystem::path& path, std::size_t extra = 0,
                                std::uintmax_t max_bytes = kMaxInputBytes);

// An existing output path that is not a regular file (a symlink, FIFO, device, directory) is
// refused, never replaced: a Usage error naming it. Absent or regular: fine. "-" is stdout.
Expected<void> check_output_path(const std::filesystem::path& path);

// Writes `data` to `path` atomically: a temporary file in the same directory, then rename, so
// the old file stays whole until then and a reader never sees half a file. The temporary file
// is removed on every exit path, SIGINT and SIGTERM included (cleanup.hpp). An existing target
// that is not a regular file is refused (check_output_path). "-" writes to stdout. Not fsync()ed:
// atomic for readers and for a killed dockgate, not against a power cut (file.cpp says why).
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view data);

// write_file_atomic in pieces, for an output too large to hold as one string: the pieces go to
// the temporary file as they come, commit() renames it into place, and an OutputFile destroyed
// without commit() removes it. rewind() drops what was written (a writer starting over). "-"
// keeps the pieces and writes them to stdout at commit(), since stdout cannot be rewound.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();
  Expected<void> open(const std::filesystem::path& path);
  Expected<void> write(std::string_view data);
  Expected<void> rewind();
  Expected<void> commit();

 private:
  void discard();
  std::filesystem::path path_, tmp_;
  std::string held_;  // "-": everything, until commit()
  bool stdout_ = false;
  int fd_ = -1;
  int slot_ = -1;
};

// Appends to a file (GITHUB_STEP_SUMMARY is appended to by every step of a job). Opened with
// O_NONBLOCK and checked to be a regular file: a FIFO there is an error, never a hang.
Expected<void> append_file(const std::filesystem::path& path, std::string_view data);

}  // namespace dg::util
