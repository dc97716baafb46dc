#include "adapters/ingest/json_pieces.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <stop_token>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "adapters/ingest/json_scan.hpp"
#include "src/util/parallel.hpp"

namespace dg::ingest::json {

namespace {

struct Span {
  std::size_t begin = 0, end = 0;
};

bool opens(char c) { return c == '{' || c == '['; }

bool delimits(char c) { return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end of the scalar at `i`: past the closing quote of a string, or up to the next delimiter
// of a number or literal; kNoClose when there is none (simdjson then checks what it is).
std::size_t scalar_end(std::string_view t, std::size_t i) {
  if (t[i] == '"') {
    std::size_t q = closing_quote(t, i + 1);
    return q == kNoClose ? kNoClose : q + 1;
  }
  std::size_t j = i;
  while (j < t.size() && !delimits(t[j]) && t[j] != '"' && !opens(t[j])) ++j;
  return j > i ? j : kNoClose;
}

bool is_null_at(std::string_view t, std::size_t i) {
  return t.compare(i, 4, "null") == 0 && (i + 4 == t.size() || delimits(t[i + 4]));
}

template <class V>
bool walk(std::string_view t, std::size_t open, ObjectReader& r, V& v, std::size_t& end);

// The elements of a split array, from the one at `j` (or the ']' at `j`) until `stop`, the first
// element of a run another thread reads (kNoClose: to the end); at_element(j) before each.
// `value_end` is past the ']', or kNoClose when stopped. False when the text cannot be cut.
template <class V, class F>
bool walk_elements(std::string_view t, std::size_t j, std::size_t stop, ObjectReader& r, std::string_view key,
                   V& v, std::size_t& value_end, F&& at_element) {
  if (j < t.size() && t[j] == ']') {
    value_end = j + 1;
    return true;
  }
  ObjectReader* inner = r.nested(key);
  for (;;) {
    if (j >= t.size()) return false;
    if (j == stop) {
      value_end = kNoClose;
      return true;
    }
    at_element(j);
    std::size_t e = kNoClose;
    if (inner && t[j] == '{') {
      if (!walk(t, j, *inner, v, e)) return false;
    } else {
      // An element of another kind goes to element() whole: the reader says what is wrong.
      if (!opens(t[j]) || (e = v.close(t, j)) == kNoClose) return false;
      v.element(r, key, Span{j, e});
    }
    j = skip_space(t, e);
    if (j < t.size() && t[j] == ',') {
      j = skip_space(t, j + 1);
      continue;
    }
    if (j < t.size() && t[j] == ']') {
      value_end = j + 1;
      return true;
    }
    return false;
  }
}

// One walk over an object's text, for both passes: the check (is every piece where the reader
// expects it? how large is the largest?) and the read (parse each piece, call the reader). The
// visitor V says which, and where each value that opens with a bracket closes (close()): the
// check scans for it, the read is handed what the check kept. False when the text cannot be
// cut; `end` is then meaningless.
template <class V>
bool walk(std::string_view t, std::size_t open, ObjectReader& r, V& v, std::size_t& end) {
  v.begin(r);
  std::size_t i = skip_space(t, open + 1);
  if (i < t.size() && t[i] == '}') {
    v.end(r);
    end = i + 1;
    return true;
  }
  for (;;) {
    if (i >= t.size() || t[i] != '"') return false;
    std::size_t q = t.find('"', i + 1);
    if (q == std::string_view::npos) return false;
    std::string_view key = t.substr(i + 1, q - i - 1);
    // An escaped key is left to simdjson; so is one that is not UTF-8 (it repairs and warns).
    if (key.find('\\') != std::string_view::npos || !simdjson::validate_utf8(key.data(), key.size())) return false;
    i = skip_space(t, q + 1);
    if (i >= t.size() || t[i] != ':') return false;
    i = skip_space(t, i + 1);
    if (i >= t.size()) return false;
    std::size_t value_end = kNoClose;
    const bool split = r.split(key);
    ObjectReader* sub = r.object(key);
    if (split && is_null_at(t, i)) {
      v.array(r, key);
      value_end = i + 4;
    } else if (split && t[i] == '[') {
      v.array(r, key);
      if (!v.elements(t, i, r, key, value_end)) return false;
    } else if (sub && t[i] == '{') {
      if (!walk(t, i, *sub, v, value_end)) return false;
    } else if (opens(t[i])) {
      if ((value_end = v.close(t, i)) == kNoClose) return false;
      v.member(r, key, Span{i, value_end}, false);
    } else {
      if ((value_end = scalar_end(t, i)) == kNoClose) return false;
      v.member(r, key, Span{i, value_end}, true);
    }
    i = skip_space(t, value_end);
    if (i < t.size() && t[i] == ',') { i = skip_space(t, i + 1); continue; }
    if (i < t.size() && t[i] == '}') break;
    return false;
  }
  v.end(r);
  end = i + 1;
  return true;
}

// Where a bracketed value closes, kept by the check for the read pass when the value is
// kKeptClose bytes or more: the read scans a smaller one again (little work), so what is kept is at
// most 16 bytes for 256 of text, however many tiny values a crafted report holds.
struct Closed {
  std::size_t open = 0, end = 0;
};
constexpr std::size_t kKeptClose = 256;

// A split array as the check found it, for cutting its elements into runs for threads. Only an
// array large enough to share is kept, with the start of an element every so often (a 64th of
// the least run), not of every one.
struct ElementAt {
  std::size_t begin = 0;   // where the element starts
  std::size_t closes = 0;  // Check::closes kept before it
};
struct ArrayAt {
  std::size_t open = 0, end = 0;  // its '[' and past its ']'
  std::size_t closes_end = 0;     // Check::closes kept once past it
  std::size_t count = 0;          // elements
  std::size_t largest = 0;        // bytes of the largest element (to the next one's start)
  std::vector<ElementAt> starts;  // the first element's, then one at least `every` bytes on
};

// The first pass: nothing is parsed, the reader is only asked which members it splits. It keeps
// where the larger bracketed values close, so the read pass does not scan the text for them
// again (the scan was a third of reading a trivy report), and, when the text may be shared among
// threads, the split arrays large enough to share. It then also checks that every piece is UTF-8
// (while the piece is in the cache): a thread cannot repair bytes another one may be reading.
struct Check {
  std::string_view text;
  std::size_t share_from = 0;  // the least array worth sharing, in bytes; 0: no sharing
  std::size_t every = 0;       // bytes between the element starts an array keeps
  bool utf8 = true;
  std::size_t largest = 0;
  std::vector<Closed> closes;
  std::vector<ArrayAt> arrays;

  void valid(std::size_t from, std::size_t to) {
    if (share_from && utf8) utf8 = simdjson::validate_utf8(text.data() + from, to - from);
  }
  std::size_t close(std::string_view t, std::size_t open) {
    std::size_t e = match_close(t, open);
    if (e != kNoClose) {
      if (e - open >= kKeptClose) closes.push_back({open, e});
      valid(open, e);
    }
    return e;
  }
  bool elements(std::string_view t, std::size_t open, ObjectReader& r, std::string_view key, std::size_t& value_end) {
    if (!share_from || !r.forks(key))
      return walk_elements(t, skip_space(t, open + 1), kNoClose, r, key, *this, value_end, [](std::size_t) {});
    ArrayAt a{open, 0, 0, 0, 0, {}};
    std::size_t previous = 0;
    if (!walk_elements(t, skip_space(t, open + 1), kNoClose, r, key, *this, value_end, [&](std::size_t j) {
          if (a.count++) a.largest = std::max(a.largest, j - previous);
          previous = j;
          if (a.starts.empty() || j - a.starts.back().begin >= every) a.starts.push_back({j, closes.size()});
        }))
      return false;
    if (a.count) a.largest = std::max(a.largest, value_end - previous);
    a.end = value_end;
    a.closes_end = closes.size();
    if (a.end - a.open >= share_from) arrays.push_back(std::move(a));
    return true;
  }
  void begin(ObjectReader&) {}
  void end(ObjectReader&) {}
  void array(ObjectReader&, std::string_view) {}
  void element(ObjectReader&, std::string_view, Span s) { largest = std::max(largest, s.end - s.begin); }
  void member(ObjectReader&, std::string_view, Span s, bool scalar) {
    if (!scalar) largest = std::max(largest, s.end - s.begin);
    else valid(s.begin, s.end);
  }
  // What the check keeps beside the text, in bytes.
  std::size_t kept() const {
    std::size_t n = closes.capacity() * sizeof(Closed) + arrays.capacity() * sizeof(ArrayAt);
    for (const ArrayAt& a : arrays) n += a.starts.capacity() * sizeof(ElementAt);
    return n;
  }
};

// Where the root object is and whether it can be cut: the check pass over all of it, preparing
// to share it among threads as `p` says (nullptr: one thread reads it).
std::optional<Check> check(std::string_view t, ObjectReader& root, std::size_t& open, const Parallelism* p) {
  open = skip_space(t, 0);
  if (open >= t.size() || t[open] != '{') return std::nullopt;
  Check c;
  c.text = t;
  if (p) {
    c.share_from = std::max<std::size_t>(2 * p->min_bytes, 2);  // two runs at least
    c.every = p->min_bytes / 64;
  }
  std::size_t end = 0;
  if (!walk(t, open, root, c, end) || skip_space(t, end) != t.size()) return std::nullopt;
  return c;
}

// The elements of the largest split array cut into runs, one per thread: where each run after
// the first starts (the first is the array's first element, read by the walk's own thread).
struct Fork {
  std::size_t open = 0, end = 0, closes_end = 0;  // as in ArrayAt
  std::vector<ElementAt> runs;
};

// The array to share: the one with the most bytes that are not in its largest element (two
// Results of which one holds nine tenths of the text are no work for two threads; the
// Vulnerabilities of that one are). Runs of about equal bytes, each at least min_bytes.
std::optional<Fork> plan_fork(const Check& c, Parallelism p) {
  if (p.threads < 2 || !c.share_from || !c.utf8) return std::nullopt;
  const ArrayAt* best = nullptr;
  std::size_t best_score = 0;
  for (const ArrayAt& a : c.arrays) {
    std::size_t score = a.end - a.open - a.largest;
    if (a.starts.size() >= 2 && score > best_score) best = &a, best_score = score;
  }
  if (!best) return std::nullopt;
  const std::size_t span = best->end - best->open;
  const std::size_t parts = std::min<std::size_t>(p.threads, span / std::max<std::size_t>(p.min_bytes, 1));
  if (parts < 2) return std::nullopt;
  Fork f{best->open, best->end, best->closes_end, {}};
  const auto& el = best->starts;
  std::size_t e = 1;  // each run has one element at least
  for (std::size_t k = 1; k < parts && e < el.size(); ++k, ++e) {
    while (e + 1 < el.size() && el[e].begin < best->open + span * k / parts) ++e;
    f.runs.push_back(el[e]);
  }
  return f;
}

// The second pass: each piece parsed by simdjson and handed to the reader. The text is as the
// check found it (repairing UTF-8 writes '?' over bytes of 0x80 and more only), so the walk
// cannot fail here. The walk's own thread (`out` given) repairs UTF-8 and starts the threads of
// a Fork; a thread reading a run (no `out`) does neither: its run was checked to be UTF-8, and
// it gives back the text of its own run only.
class PieceParser {
 public:
  PieceParser(Input& in, ParsedReport* out, const std::vector<Closed>& closes, std::size_t next_close,
              std::size_t largest)
      : in_(in), out_(out), closes_(closes), next_close_(next_close), largest_(largest) {}
  void fork_at(Fork f) { fork_ = std::move(f); }
  // Where the check found the value closes, when it kept that; else it is found again.
  std::size_t close(std::string_view t, std::size_t open) {
    if (next_close_ < closes_.size() && closes_[next_close_].open == open) return closes_[next_close_++].end;
    return match_close(t, open);
  }
  simdjson::error_code allocate() { return parser_.allocate(std::max<std::size_t>(largest_, 64)); }
  // Where simdjson was when it threw: its position in the piece, else the piece's start.
  std::size_t where() {
    const char* q = nullptr;
    if (iterating_ && doc_.current_location().get(q) == simdjson::SUCCESS && q)
      if (auto at = in_.offset_of(q)) return *at;
    return piece_at_;
  }

  void begin(ObjectReader& r) { r.begin(); }
  void end(ObjectReader& r) { r.end(); }
  void array(ObjectReader& r, std::string_view key) { r.array(key); }
  bool elements(std::string_view t, std::size_t open, ObjectReader& r, std::string_view key, std::size_t& value_end) {
    const std::size_t first = skip_space(t, open + 1);
    if (fork_ && fork_->open == open) {
      Fork f = std::move(*fork_);
      fork_.reset();
      if (shared(t, first, f, r, key)) {
        value_end = f.end;
        return true;
      }
    }
    return walk_elements(t, first, kNoClose, r, key, *this, value_end, [](std::size_t) {});
  }
  void element(ObjectReader& r, std::string_view key, Span s) {
    release(s.begin);  // the text before this element is read, whatever the reader keeps
    r.element(key, piece(s));
  }
  void member(ObjectReader& r, std::string_view key, Span s, bool is_scalar) {
    if (!is_scalar) {
      r.member(key, piece(s));
      return;
    }
    // simdjson hands out a scalar document's value only through the document, so the scalar is
    // read as the one element of "[" + scalar + "]".
    piece_at_ = s.begin;
    const std::size_t n = s.end - s.begin;
    scalar_.assign(n + 2 + simdjson::SIMDJSON_PADDING, '\0');
    scalar_[0] = '[';
    scalar_[n + 1] = ']';
    auto fill = [&] { std::memcpy(scalar_.data() + 1, in_.text().data() + s.begin, n); };  // again once repaired
    fill();
    iterate(simdjson::padded_string_view(scalar_.data(), n + 2, scalar_.size()), fill);
    // Offsets in the copy are offsets in the file (error messages, json::offset_of).
    in_.alias(scalar_.data() + 1, n, s.begin);
    struct Unalias {
      Input& in;
      ~Unalias() { in.alias(nullptr, 0, 0); }
    } unalias{in_};
    for (auto el : doc_.get_array()) {
      r.member(key, el.value());
      break;
    }
  }

 private:
  struct Stopped {};
  // A run of elements read on a thread of its own, with a reader and a parser of its own.
  struct Run {
    std::unique_ptr<ObjectReader> reader;
    ElementAt from;
    std::size_t stop = kNoClose;  // the next run's first element
    std::exception_ptr error;
    std::jthread thread;
  };

  // Reads the array's elements with the Fork's runs on threads of their own and this thread
  // reading the first run, then joins the readers in order; an error is the first in the text.
  // False (nothing read) when the reader does not fork or a thread cannot start.
  bool shared(std::string_view t, std::size_t first, const Fork& f, ObjectReader& r, std::string_view key) {
    std::vector<Run> runs(f.runs.size());
    for (std::size_t k = 0; k < runs.size(); ++k) {
      if (!(runs[k].reader = r.fork(key))) return false;
      runs[k].from = f.runs[k];
      runs[k].stop = k + 1 < runs.size() ? f.runs[k + 1].begin : kNoClose;
    }
    try {
      for (Run& run : runs) run.thread = std::jthread([&, t, key](std::stop_token stop) { read_run(t, run, key, stop); });
    } catch (const std::system_error&) {
      return false;  // runs' destructors stop and join the threads that started; their readers are dropped
    }
    std::size_t ignored = 0;
    walk_elements(t, first, f.runs.front().begin, r, key, *this, ignored, [](std::size_t) {});
    for (Run& run : runs) run.thread.join();
    for (Run& run : runs) {
      if (run.error) std::rethrow_exception(run.error);
      r.join(key, *run.reader);
    }
    next_close_ = f.closes_end;
    return true;
  }

  void read_run(std::string_view t, Run& run, std::string_view key, const std::stop_token& stop) {
    PieceParser sub(in_, nullptr, closes_, run.from.closes, largest_);
    sub.released_ = run.from.begin;
    try {
      if (auto e = sub.allocate()) throw JsonError(run.from.begin, describe(e));
      std::size_t ignored = 0;
      walk_elements(t, run.from.begin, run.stop, *run.reader, key, sub, ignored, [&](std::size_t) {
        if (stop.stop_requested()) throw Stopped{};
      });
    } catch (const Stopped&) {
    } catch (const JsonError&) {
      run.error = std::current_exception();
    } catch (const simdjson::simdjson_error& e) {
      run.error = std::make_exception_ptr(JsonError(sub.where(), describe(e.error())));
    } catch (const std::exception& e) {
      run.error = std::make_exception_ptr(JsonError(sub.where(), e.what()));
    }
  }

  void release(std::size_t before) {
    if (out_) {
      in_.release_before(before);
    } else if (before > released_ + (std::size_t{4} << 20)) {
      released_ = in_.release_between(released_, before);
    }
  }
  void iterate(simdjson::padded_string_view view, const std::function<void()>& refresh) {
    iterating_ = false;
    auto err = parser_.iterate(view).get(doc_);
    if (err == simdjson::UTF8_ERROR && out_ && !in_.utf8_checked) {
      if (auto& warning = in_.check_utf8(); !warning.empty()) out_->warnings.push_back(warning);
      refresh();
      err = parser_.iterate(view).get(doc_);
    }
    if (err) throw JsonError(piece_at_, describe(err));
    iterating_ = true;
  }
  od::value piece(Span s) {
    piece_at_ = s.begin;
    const std::size_t capacity = in_.padded().capacity();
    iterate(simdjson::padded_string_view(in_.text().data() + s.begin, s.end - s.begin, capacity - s.begin), [] {});
    od::value v;
    if (auto e = doc_.get_value().get(v)) throw JsonError(s.begin, describe(e));
    return v;
  }

  Input& in_;
  ParsedReport* out_;                        // nullptr on a run's thread
  const std::vector<Closed>& closes_;        // the check's, in the walk's order
  std::size_t next_close_ = 0;
  std::size_t largest_ = 0;
  std::size_t released_ = 0;  // a run's thread: the text of its run given back up to here
  std::optional<Fork> fork_;
  od::parser parser_;
  od::document doc_;
  bool iterating_ = false;    // doc_ holds a piece (a default document has no position to ask for)
  std::size_t piece_at_ = 0;  // where the piece being read starts
  std::string scalar_;
};

ParseResult parse_whole(const Input& in, std::string_view what, ObjectReader& root,
                        const std::function<void(ParsedReport& out)>& finish) {
  return parse_json(in, what, [&](od::value v, ParsedReport& out) {
    read_object(in, v, "(root)", root);
    finish(out);
  });
}

}  // namespace

void read_object(const Input& in, od::value object_value, std::string_view name, ObjectReader& r) {
  r.begin();
  for (auto field : object(in, object_value, name)) {
    std::string_view k = key(field);
    od::value v = field.value();
    od::json_type t{};
    if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
    if (r.split(k) && (t == od::json_type::array || t == od::json_type::null)) {
      r.array(k);
      if (t == od::json_type::null) {
        (void)is_null(v);
        continue;
      }
      ObjectReader* inner = r.nested(k);
      std::string inner_name = std::string(k) + "[]";
      for (auto el : v.get_array()) {
        od::value e = el.value();
        od::json_type et{};
        if (auto err = e.type().get(et)) throw simdjson::simdjson_error(err);
        if (inner && et == od::json_type::object) {
          read_object(in, e, inner_name, *inner);
        } else {
          in.release_before(offset_of(in, e));  // as parse_json_pieces does: the text before it is read
          r.element(k, e);
        }
      }
    } else if (ObjectReader* sub = r.object(k); sub && t == od::json_type::object) {
      read_object(in, v, k, *sub);
    } else {
      r.member(k, v);
    }
  }
  r.end();
}

namespace {
std::atomic<unsigned> g_threads{0};
std::atomic<std::size_t> g_min_bytes{std::size_t{4} << 20};
}  // namespace

void set_parallelism(Parallelism p) {
  g_threads = p.threads;
  g_min_bytes = p.min_bytes;
}

Parallelism parallelism() {
  Parallelism p{g_threads.load(), g_min_bytes.load()};
  if (p.threads == 0) p.threads = util::work_threads();
  return p;
}

std::optional<std::size_t> largest_piece(std::string_view text, ObjectReader& root) {
  std::size_t open = 0;
  auto c = check(text, root, open, nullptr);
  if (!c) return std::nullopt;
  return c->largest;
}

namespace {
bool may_share(std::string_view text, const Parallelism& p) { return p.threads > 1 && text.size() >= 2 * p.min_bytes; }
}  // namespace

Sharing sharing_for(std::string_view text, ObjectReader& root) {
  const Parallelism par = parallelism();
  std::size_t open = 0;
  auto c = check(text, root, open, may_share(text, par) ? &par : nullptr);
  if (!c) return {};
  auto f = plan_fork(*c, par);
  return f ? Sharing{f->runs.size() + 1, f->open, c->kept()} : Sharing{1, 0, c->kept()};
}

ParseResult parse_json_pieces(const Input& in_const, std::string_view what, ObjectReader& root,
                              const std::function<void(ParsedReport& out)>& finish) {
  const Parallelism par = parallelism();
  const bool shared = may_share(in_const.text(), par);
  std::optional<Check> plan;
  std::size_t open = 0;
  {
    // The first read of each page of a mapped file costs more than the check's scan of it (on a
    // virtual machine, a fault in the host per page): another thread reads a byte of each page
    // from the end backwards meanwhile, so the scan meets pages already mapped half the way.
    std::jthread toucher;
    if (shared && in_const.mapped() && !in_const.copied())
      toucher = std::jthread([t = in_const.text()](std::stop_token stop) {
        volatile char sink = 0;
        for (std::size_t i = t.size(); i > 4096 && !stop.stop_requested(); i -= 4096) sink = t[i - 1];
        (void)sink;
      });
    plan = check(in_const.text(), root, open, shared ? &par : nullptr);
  }
  if (!plan) return parse_whole(in_const, what, root, finish);
  // check_utf8 repairs bytes in place and keeps offsets; the Input stays logically the same file.
  Input& in = const_cast<Input&>(in_const);
  ParsedReport out;  // what the parser adds (a repair warning) before the reader's finish
  PieceParser pieces(in, &out, plan->closes, 0, plan->largest);
  if (auto f = plan_fork(*plan, par)) pieces.fork_at(std::move(*f));
  if (auto e = pieces.allocate()) return std::unexpected(in.error(std::string(what) + ": " + describe(e)));
  return guarded(in, what, [&] { return pieces.where(); }, [&](ParsedReport& result) {
    std::size_t end = 0;
    walk(in.text(), open, root, pieces, end);
    result = std::move(out);
    finish(result);
  });
}

}  // namespace dg::ingest::json
