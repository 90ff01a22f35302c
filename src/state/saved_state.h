// What a build leaves for the next one to start from (the incremental
// build): every input file with its stamp and hash, a record of every page
// (state/page_record.h), the dependency keys with their fingerprints, and
// every output with the hash of its bytes and the keys it was made from.
// One file, written whole into a temporary name and renamed over the old
// one; read back mapped, each part only when it is asked for.
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

#include "base/mapped_file.h"
#include "state/binary.h"
#include "state/fingerprint.h"
#include "state/page_record.h"

namespace byline {

// Bumped whenever the format or the meaning of any part changes: a state of
// another version is ignored, and the build is a full one.
constexpr uint32_t kStateFormat = 1;

struct InputEntry {
  std::string path;  // relative to the site, '/'-separated
  FileStamp stamp;
  uint64_t hash = 0;
};

struct OutputEntry {
  std::string path;            // relative to the output folder
  std::string recipe;          // how it was made: "page posts/x.md", "list term/tags/x 2", …
  uint64_t hash = 0;           // of its bytes
  std::vector<uint32_t> deps;  // indices into the key table
};

struct StateHeader {
  std::string byline_version;
  uint64_t environment = 0;  // config, flags, theme: anything that changes every output
  int64_t now = 0;           // the build's clock
  // The first moment after `now` at which the clock alone changes what is
  // built (a future post's date, an expiry date): a later build past it is
  // not a no-op even when no file changed.
  int64_t next_change = INT64_MAX;
};

// Assembles a state and writes it.
class StateWriter {
 public:
  StateHeader header;
  std::vector<InputEntry> inputs;
  // The page records, written one by one as the file is: at 100,000 posts
  // they are ~150 MB, which the build need not hold twice.
  size_t page_count = 0;
  std::function<void(size_t index, BinaryWriter& w)> write_page;
  std::vector<std::string> keys;
  std::vector<uint64_t> fingerprints;  // per key
  std::vector<OutputEntry> outputs;

  // Index of `key` in the key table, added if new.
  uint32_t intern(std::string_view key);

  // Writes to `file` through a temporary beside it; false with `error` set.
  bool save(const std::filesystem::path& file, std::string* error) const;

 private:
  std::unordered_map<std::string, uint32_t> key_index_;
};

// A saved state, read in place.
class SavedState {
 public:
  // False when there is no state at `file` or it is not one this byline
  // wrote (another version, cut short, corrupt): the build is then full.
  bool load(const std::filesystem::path& file);

  const StateHeader& header() const { return header_; }

  struct Input {
    std::string_view path;
    FileStamp stamp;
    uint64_t hash = 0;
  };
  const std::vector<Input>& inputs() const { return inputs_; }
  const Input* find_input(std::string_view path) const;

  size_t page_count() const { return page_offsets_.size(); }
  // The record for content-relative `rel`, read now; false when none.
  bool page(std::string_view rel, PageRecord* out) const;

  const std::vector<std::string_view>& keys() const { return keys_; }
  const std::vector<uint64_t>& fingerprints() const { return fingerprints_; }

  struct Output {
    std::string_view path;
    std::string_view recipe;
    uint64_t hash = 0;
    std::span<const uint32_t> deps;
  };
  const std::vector<Output>& outputs() const { return outputs_; }
  const Output* find_output(std::string_view path) const;

 private:
  bool parse();

  MappedFile file_;
  StateHeader header_;
  std::vector<Input> inputs_;
  std::unordered_map<std::string_view, size_t> input_index_;
  std::unordered_map<std::string_view, std::string_view> page_offsets_;  // rel → record bytes
  std::vector<std::string_view> keys_;
  std::vector<uint64_t> fingerprints_;
  std::vector<uint32_t> dep_storage_;
  std::vector<Output> outputs_;
  std::unordered_map<std::string_view, size_t> output_index_;
};

}  // namespace byline
