#pragma once
// Reports that are long arrays of findings (grype's "matches", trivy's Results[].Vulnerabilities),
// read a piece at a time. Parsed as one document, simdjson first indexes all of it: four bytes
// for every structural character, half the text's size again for grype, beside the text. Here
// objects are cut into their members and the long arrays into their elements (json_scan.hpp),
// and each piece is parsed as a document of its own, in place: the index is one piece's, reused,
// and the text behind the reader can be given back (Input::release_before) while it reads.
//
// A reader says, per object, which members are such arrays (ObjectReader). The elements of the
// largest of them are read by several threads at once when the reader can fork: each thread
// reads a run of consecutive elements with a reader of its own, and the runs are joined in order
// (ObjectReader::fork), so what the reader ends up with is what one thread would have made. A text that cannot be
// cut that way (a root that is not an object, an escaped or non-UTF-8 key, an element of the wrong
// kind, anything malformed between the pieces) is parsed whole instead and walked with the same
// callbacks, so what a reader sees, and every error message, is the same either way.
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "adapters/ingest/json.hpp"

namespace dg::ingest::json {

// How an object is read: a member at a time. Values and the views read from them are good for
// the call they are given to only (a piece's document, or its scalar, is gone after it).
// A member whose value is not of the kind the reader expects (a split member that is not an
// array, a nested object that is not an object, an element of a nested array that is not an
// object) goes to member() or element() as it is, so the reader's own shape errors stay.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  // Whether the member `key`, when an array, is read an element at a time (null: no elements).
  virtual bool split(std::string_view key) const = 0;
  // For a split member whose elements are objects read member by member in turn: their reader
  // (begin() and end() around each element); nullptr: each element goes to element() whole.
  virtual ObjectReader* nested(std::string_view /*key*/) { return nullptr; }
  // For a member that, when an object, is read member by member in turn: its reader.
  virtual ObjectReader* object(std::string_view /*key*/) { return nullptr; }
  virtual void begin() {}
  virtual void array(std::string_view /*key*/) {}  // a split member, before its elements
  virtual void element(std::string_view /*key*/, od::value /*element*/) {}
  virtual void member(std::string_view key, od::value value) = 0;  // everything else
  virtual void end() {}

  // For reading the split member `key`'s elements on several threads: a reader with storage of
  // its own that takes a run of them (element(), or nested(key) around each object) on another
  // thread, so it must not touch this reader; nullptr (the default): one thread reads them all,
  // and so do they when forks(key) is false: the array shared out is the largest that forks.
  // join() takes a forked reader's output back, on this reader's thread, runs in element order,
  // right after this reader's own run and before anything that follows the array.
  virtual std::unique_ptr<ObjectReader> fork(std::string_view /*key*/) { return nullptr; }
  virtual bool forks(std::string_view /*key*/) const { return false; }  // whether fork(key) gives one
  virtual void join(std::string_view /*key*/, ObjectReader& /*forked*/) {}
};

// How many threads read the largest split array, and the least bytes of it each one takes.
// threads 0: util::work_threads(). Process-wide; tests lower min_bytes.
struct Parallelism {
  unsigned threads = 0;
  std::size_t min_bytes = std::size_t{4} << 20;
};
void set_parallelism(Parallelism p);
Parallelism parallelism();

// Reads the root object of `in` with `root`, then `finish`. `what` names the format in messages
// ("grype JSON"). Errors are values, with file:line:col, as parse_json's.
ParseResult parse_json_pieces(const Input& in, std::string_view what, ObjectReader& root,
                              const std::function<void(ParsedReport& out)>& finish);

// Walks an object simdjson has parsed with the reader's callbacks (what parse_json_pieces does
// when it reads a text whole). `name` is the object's name in shape errors ("Results[]").
// Either way the text before each element given to element() is given back
// (Input::release_before): readers need not.
void read_object(const Input& in, od::value object, std::string_view name, ObjectReader& reader);

// The size of the largest piece `text` is read in with `root` (what simdjson indexes at once),
// or nullopt when it is read whole.
std::optional<std::size_t> largest_piece(std::string_view text, ObjectReader& root);

// How parse_json_pieces reads `text` as parallelism() stands: with how many threads (1: one),
// sharing out the split array whose '[' is at `array`, and how many bytes its first pass keeps
// for the second beside the text.
struct Sharing {
  std::size_t threads = 1;
  std::size_t array = 0;
  std::size_t kept = 0;
};
Sharing sharing_for(std::string_view text, ObjectReader& root);

}  // namespace dg::ingest::json
