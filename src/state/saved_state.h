// What a build leaves for the next one to start from (the incremental
// build): every input file with its stamp and hash, a record of every page
// (state/page_record.h), the dependency keys with their fingerprints, and
// every output with the hash of its bytes and the keys it was made from.
//
// Three kinds of file in the state folder. `state` holds a directory of
// sections (header, inputs, page index, and what the keys and outputs are
// now as a difference from a base), each with its own checksum, and is
// written whole into a temporary name and renamed over the old one: a build
// stopped at any moment leaves the old state or the new one. The keys and
// outputs (at 100,000 posts 400,000 keys and 7 million numbers: most of the
// state's bytes) are in a base file, `base-<generation>`, written once and
// never changed: a build that changed little writes only what differs from
// the base (keys added, fingerprints changed, outputs made, added or gone),
// keeping the base's key numbers, and a base is written anew (compaction) by
// a full build and when the difference or the keys no output uses grow
// large. It is read mapped, a section when it is first needed: a no-op
// build reads only the header and the inputs. The page records (~1 KB a
// page) are in a log beside it, `pages-<generation>`, which a build appends
// to rather than rewrites: a record the state does not point to is never
// read, so what a stopped build appended is harmless and cut off by the
// next one. The log is written afresh (a new generation) by a full build
// and when more than half of it is records no state points to any more. A
// base or a log no state names is deleted once the state naming its
// successor is in place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/binary.h"
#include "base/mapped_file.h"
#include "state/fingerprint.h"
#include "state/page_record.h"

namespace byline {

// Bumped whenever the format or the meaning of any part changes: a state of
// another version is ignored, and the build is a full one.
constexpr uint32_t kStateFormat = 10;

struct InputEntry {
  std::string path;  // relative to the site, '/'-separated
  FileStamp stamp;
  // In the state: a page's hash of its bytes, or for another file the
  // hash of its bytes when it was racy (see StateHeader::racy_from), else
  // its stamp's. In a scan: the hash of its bytes once read, else 0.
  uint64_t hash = 0;
  // In a scan: its bytes differ from the state's though its stamp does not
  // (saved twice within one tick of the file system's clock).
  bool changed_unseen = false;
};

// Views, like StateWriter::keys: what they view must live until save()
// returns (at 100,000 posts the outputs' keys are 7 million numbers, held
// once).
struct OutputEntry {
  std::string_view path;           // relative to the output folder
  std::string_view recipe;         // how it was made: "page posts/x.md", "list term/tags/x 2", …
  uint64_t hash = 0;               // of its bytes
  std::span<const uint32_t> deps;  // indices into the key table
};

struct StateHeader {
  std::string byline_version;
  uint64_t environment = 0;  // config, flags, theme: anything that changes every output
  int64_t now = 0;           // the build's clock
  // The first moment after `now` at which the clock alone changes what is
  // built (a future post's date, an expiry date): a later build past it is
  // not a no-op even when no file changed.
  int64_t next_change = INT64_MAX;
  // Whether an output read the clock (the key "now"): it is then made again
  // when the day changes.
  bool reads_clock = false;
  // A file modified at or after this moment (ns since the epoch), a little
  // before the scan, could change again without its stamp changing (the
  // same size, in the same tick of the file system's clock): such a racy
  // file's hash is of its bytes, which the next build checks again (as git
  // does for its index).
  int64_t racy_from = INT64_MAX;
  // The page log this state's records are in, and how much of it is theirs.
  uint64_t pages_generation = 0;
  uint64_t pages_end = 0;
  // The base file holding the keys and outputs this state's differences
  // apply to.
  uint64_t base_generation = 0;
};

// Where a page's record is in the page log.
struct PageRef {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t hash = 0;  // of the record's bytes, checked when it is read
};

class SavedState;

// A page's record in the page log, by its content-relative path.
struct PageIndexEntry {
  std::string_view rel;
  PageRef ref;
};

// Assembles a state and writes it.
class StateWriter {
 public:
  StateHeader header;
  std::vector<InputEntry> inputs;
  // The pages: for page `index`, returns its content-relative path, and
  // either sets `kept` to the record the previous state holds for it (which
  // stays where it is in the log) or writes its record into `w`.
  size_t page_count = 0;
  std::function<std::string_view(size_t index, BinaryWriter& w, const PageRef** kept)> write_page;
  // Views: what they view must live until save() returns.
  std::vector<std::string_view> keys;
  std::vector<uint64_t> fingerprints;  // per key
  std::vector<OutputEntry> outputs;
  // Whether save() must write the keys and outputs whole, into a new base
  // file (always without a previous state). When not, they keep the key
  // numbers of `previous` (keys[k] for k < previous->keys().size() is its
  // key k; an output not made again views its deps where `previous` holds
  // them), and save() writes their difference from the base of
  // `previous`, or, when that has grown past a quarter of the base, a new
  // base.
  bool compact = true;

  // Index of `key` in the key table, added if new.
  uint32_t intern(std::string_view key);

  // Writes the state into `folder`: new page records appended to the log
  // of `previous` (the state this build started from; null for a full
  // build, which starts a new log), a new base when `compact`, then `state`
  // through a temporary and a rename, then the logs and bases no state
  // points to deleted. False with `error`.
  bool save(const std::filesystem::path& folder, const SavedState* previous, std::string* error);
  // The first half of save(), which it does when it has not been done: the
  // page records into the log (write_page is not called again). A build
  // does it as soon as its pages are final, so that they need not keep
  // their front matter's text until the end.
  bool write_pages(const std::filesystem::path& folder, const SavedState* previous,
                   std::string* error);

 private:
  bool write_base(const std::filesystem::path& folder, std::string* error);
  std::unordered_map<std::string, uint32_t> key_index_;
  bool pages_written_ = false;
  std::vector<PageIndexEntry> page_index_;
};

// A saved state, read in place.
class SavedState {
 public:
  // Reads the header and the inputs of the state in `folder`. False when
  // there is none or it is not one this byline wrote (another version, cut
  // short, corrupt): the build is then full.
  bool load(const std::filesystem::path& folder);
  // Reads the rest: the page index, the keys and the outputs, and maps the
  // page log. False when any of it is damaged.
  bool load_rest();

  const StateHeader& header() const { return header_; }

  struct Input {
    std::string_view path;
    FileStamp stamp;
    uint64_t hash = 0;
  };
  // Sorted by path (a state whose are not is refused).
  const std::vector<Input>& inputs() const { return inputs_; }
  const Input* find_input(std::string_view path) const;

  size_t page_count() const { return page_index_.size(); }
  // Where the record for content-relative `rel` is; null when none.
  const PageRef* page_ref(std::string_view rel) const;
  // The record for `rel`, read now; false when none or damaged. Without
  // `front_matter_text`, as read_page_record() without it.
  bool page(std::string_view rel, PageRecord* out, bool front_matter_text = true) const;
  // A record's bytes in the log; empty when they are not there whole.
  std::string_view page_bytes(const PageRef& ref) const;

  const std::vector<std::string_view>& keys() const { return keys_; }
  const std::vector<uint64_t>& fingerprints() const { return fingerprints_; }

  struct Output {
    std::string_view path;
    std::string_view recipe;
    uint64_t hash = 0;
    std::span<const uint32_t> deps;
    // Whether it is the base's own (not made again since the base).
    bool in_base = true;
  };
  const std::vector<Output>& outputs() const { return outputs_; }
  const Output* find_output(std::string_view path) const;
  // Whether the outputs' keys are viewed in the mapped files, not copied.
  bool deps_in_place() const { return dep_storage_.empty() && delta_dep_storage_.empty(); }

  // What the base holds (the rest is this state's difference from it):
  // how many keys, their fingerprints, how many outputs, and an output's
  // entry there (null when it has none).
  size_t base_key_count() const { return base_fingerprints_.size(); }
  uint64_t base_fingerprint(size_t key) const { return base_fingerprints_[key]; }
  size_t base_output_count() const { return base_output_count_; }
  const Output* base_output(std::string_view path) const;
  // The base's entries of the outputs the difference made again or
  // removed, by path.
  const std::unordered_map<std::string_view, Output>& base_replaced() const {
    return base_replaced_;
  }
  // How many outputs and keys the difference holds (made again, added or
  // gone; keys added or with another fingerprint).
  size_t delta_outputs() const { return delta_outputs_; }
  size_t delta_keys() const { return delta_keys_; }

 private:
  bool parse_head();
  bool parse_rest();
  bool parse_base(std::string_view keys, std::string_view outputs);
  bool apply_delta(std::string_view keys, std::string_view outputs);
  // Section `i`'s bytes, when its checksum holds.
  bool section(size_t i, std::string_view* out) const;

  std::filesystem::path folder_;
  MappedFile file_;
  MappedFile base_;
  MappedFile pages_;
  std::vector<std::string_view> sections_;  // as the directory gives them, unchecked
  std::vector<uint64_t> section_hashes_;
  StateHeader header_;
  std::vector<Input> inputs_;
  std::unordered_map<std::string_view, PageRef> page_index_;  // rel → record
  std::vector<std::string_view> keys_;
  std::vector<uint64_t> fingerprints_;
  // The outputs' keys: viewed in the mapped file where they are aligned
  // (as save() writes them), else copied here.
  std::vector<uint32_t> dep_storage_;
  std::vector<uint32_t> delta_dep_storage_;
  std::vector<Output> outputs_;
  std::unordered_map<std::string_view, size_t> output_index_;
  std::vector<uint64_t> base_fingerprints_;
  size_t base_output_count_ = 0;
  // The base's entries of the outputs the difference replaced or removed.
  std::unordered_map<std::string_view, Output> base_replaced_;
  size_t delta_outputs_ = 0, delta_keys_ = 0;
};

}  // namespace byline
