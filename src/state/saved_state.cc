// Writing and reading the saved state.
#include "state/saved_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>

#include "base/hash.h"

namespace byline {

namespace {

constexpr std::string_view kMagic = "BYLSTATE";
constexpr std::string_view kBaseMagic = "BYLBASE_";
constexpr const char* kStateFile = "state";
constexpr const char* kPagesPrefix = "pages-";
constexpr const char* kBasePrefix = "base-";

// The sections of the state file, in this order: the keys and the outputs
// as their difference from the base.
enum Section : size_t { kHeader, kInputs, kPageIndex, kKeyDelta, kOutputDelta, kSectionCount };
// The sections of a base file.
enum BaseSection : size_t { kBaseKeys, kBaseOutputs, kBaseSectionCount };
// Magic, format, section count; then per section its offset, size and hash;
// then the hash of all of that.
constexpr size_t directory_size(size_t sections) { return 8 + 4 + 4 + sections * 24 + 8; }

std::string generation_name(const char* prefix, uint64_t generation) {
  char name[32];
  std::snprintf(name, sizeof name, "%s%016llx", prefix,
                static_cast<unsigned long long>(generation));
  return name;
}
std::string pages_name(uint64_t generation) { return generation_name(kPagesPrefix, generation); }
std::string base_name(uint64_t generation) { return generation_name(kBasePrefix, generation); }

bool write_all(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Writes what a BinaryWriter collects to a file as it grows, a megabyte at
// a time, keeping count of the bytes and the hash of the current section.
class FileSink {
 public:
  explicit FileSink(int fd, uint64_t written = 0) : fd_(fd), written_(written) { restart(); }
  bool flush(BinaryWriter& w, bool all) {
    if (!all && w.size() < (1 << 20)) return true;
    const std::string& bytes = w.buffer();
    BYLINE_XXH3_UPDATE(&hash_, bytes.data(), bytes.size());
    if (!write_all(fd_, bytes)) return false;
    written_ += bytes.size();
    w.buffer().clear();
    return true;
  }
  void restart() { XXH3_64bits_reset(&hash_); }
  uint64_t digest() const { return XXH3_64bits_digest(&hash_); }
  uint64_t written() const { return written_; }

 private:
  int fd_;
  uint64_t written_;
  XXH3_state_t hash_;
};

// A new page log or base: a name no other file in `folder` has.
int create_generation(const std::filesystem::path& folder, const char* prefix,
                      uint64_t* generation) {
  uint64_t g =
      hash_bytes(std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "/" +
                 std::to_string(::getpid()) + prefix) |
      1;
  for (int attempt = 0; attempt < 16; ++attempt, ++g) {
    int fd = ::open((folder / generation_name(prefix, g)).c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) {
      *generation = g;
      return fd;
    }
  }
  return -1;
}

// Deletes the page logs and bases other than the state's and a temporary
// state left by a stopped build.
void remove_stale(const std::filesystem::path& folder, uint64_t pages, uint64_t base) {
  std::string kept_pages = pages_name(pages), kept_base = base_name(base);
  if (DIR* d = ::opendir(folder.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if ((name.starts_with(kPagesPrefix) && name != kept_pages) ||
          (name.starts_with(kBasePrefix) && name != kept_base) || name == "state.tmp")
        ::unlinkat(::dirfd(d), e->d_name, 0);
    }
    ::closedir(d);
  }
}

// Writes a file of sections into `fd`: room for the directory first, each
// section as `bodies[i]` writes it into `w` (flushing through `out` as it
// grows), then the directory over the room left for it.
using SectionBody = std::function<bool(BinaryWriter& w, FileSink& out)>;
bool write_sections(int fd, std::string_view magic, const std::vector<SectionBody>& bodies) {
  const size_t dir_size = directory_size(bodies.size());
  FileSink out(fd, dir_size);
  bool ok = ::lseek(fd, static_cast<off_t>(dir_size), SEEK_SET) == static_cast<off_t>(dir_size);
  std::vector<uint64_t> offsets(bodies.size()), sizes(bodies.size()), hashes(bodies.size());
  BinaryWriter w;
  for (size_t s = 0; s < bodies.size() && ok; ++s) {
    out.restart();
    offsets[s] = out.written();
    ok = bodies[s](w, out) && out.flush(w, true);
    sizes[s] = out.written() - offsets[s];
    hashes[s] = out.digest();
  }
  if (!ok) return false;
  BinaryWriter dir;
  dir.raw(magic);
  dir.u32(kStateFormat);
  dir.u32(static_cast<uint32_t>(bodies.size()));
  for (size_t s = 0; s < bodies.size(); ++s) {
    dir.u64(offsets[s]);
    dir.u64(sizes[s]);
    dir.u64(hashes[s]);
  }
  dir.u64(hash_bytes(dir.buffer()));
  return ::pwrite(fd, dir.buffer().data(), dir.size(), 0) == static_cast<ssize_t>(dir.size());
}

// Reads the directory of a file write_sections() wrote: each section's
// bytes and its hash, unchecked (a section is checked when it is read).
bool read_directory(std::string_view all, std::string_view magic, size_t count,
                    std::vector<std::string_view>* sections, std::vector<uint64_t>* hashes) {
  const size_t dir_size = directory_size(count);
  if (all.size() < dir_size || all.substr(0, magic.size()) != magic) return false;
  BinaryReader dir(all.substr(magic.size(), dir_size - magic.size()));
  if (dir.u32() != kStateFormat || dir.u32() != count) return false;
  for (size_t s = 0; s < count; ++s) {
    uint64_t offset = dir.u64(), size = dir.u64(), hash = dir.u64();
    if (offset < dir_size || offset > all.size() || size > all.size() - offset) return false;
    sections->push_back(all.substr(offset, size));
    hashes->push_back(hash);
  }
  return dir.u64() == hash_bytes(all.substr(0, dir_size - 8));
}

// The outputs, as an array of every output's keys first, which the reader
// views where it is mapped (at 100,000 posts there are 7 million), then
// the outputs. The array starts at a multiple of 4 bytes in the file: a
// count of padding bytes, and the padding.
bool write_outputs(const std::vector<const OutputEntry*>& outputs, BinaryWriter& w, FileSink& out) {
  w.varint(outputs.size());
  size_t total = 0;
  for (const OutputEntry* o : outputs) total += o->deps.size();
  w.varint(total);
  const size_t at = out.written() + w.size() + 1;
  const uint8_t pad = static_cast<uint8_t>((4 - at % 4) % 4);
  w.u8(pad);
  for (uint8_t i = 0; i < pad; ++i) w.u8(0);
  for (const OutputEntry* o : outputs) {
    w.u32s(o->deps);
    if (!out.flush(w, false)) return false;
  }
  for (const OutputEntry* o : outputs) {
    w.str(o->path);
    w.str(o->recipe);
    w.u64(o->hash);
    w.varint(o->deps.size());
    if (!out.flush(w, false)) return false;
  }
  return true;
}

// Reads what write_outputs() wrote, appending to `outputs`; each output's
// keys are checked to be below `keys`. The keys are viewed in `r`'s data
// when they are aligned, else copied into `storage`.
bool read_outputs(BinaryReader& r, size_t keys, std::vector<uint32_t>* storage,
                  std::vector<SavedState::Output>* outputs) {
  size_t count = r.count(11);
  size_t total = r.varint();
  r.skip(r.u8());
  std::span<const uint32_t> deps;
  if (!r.u32s_in_place(total, &deps)) {
    if (r.failed() || !r.u32s(total, storage)) return false;
    deps = *storage;
  }
  for (uint32_t key : deps)
    if (key >= keys) return false;
  size_t next = 0;
  outputs->reserve(outputs->size() + count);
  for (size_t i = 0; i < count; ++i) {
    SavedState::Output o;
    o.path = r.str();
    o.recipe = r.str();
    o.hash = r.u64();
    size_t n = r.varint();
    if (r.failed() || n > total - next) return false;
    o.deps = deps.subspan(next, n);
    next += n;
    outputs->push_back(o);
  }
  return !r.failed() && r.at_end() && next == total;
}

bool same_deps(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  return a.size() == b.size() &&
         (a.data() == b.data() || std::equal(a.begin(), a.end(), b.begin()));
}

using IndexEntry = PageIndexEntry;

}  // namespace

uint32_t StateWriter::intern(std::string_view key) {
  auto [it, inserted] =
      key_index_.try_emplace(std::string(key), static_cast<uint32_t>(keys.size()));
  if (inserted) {
    keys.push_back(it->first);
    fingerprints.push_back(0);
  }
  return it->second;
}

namespace {

// The page records into a log: appended to the previous state's when most
// of that log is still in use, into a new one otherwise. Sets the index and
// the log's generation and end in `header`.
class PageLogWriter {
 public:
  PageLogWriter(const std::filesystem::path& folder, const SavedState* previous,
                StateHeader* header, std::string* error)
      : folder_(folder), previous_(previous), header_(header), error_(error) {}

  bool write(const StateWriter& w, std::vector<IndexEntry>* index) {
    index->resize(w.page_count);
    if (!previous_) return write_new(w, index);
    // Which records stay where they are, and the others' bytes, held: an
    // edit changes few.
    std::string fresh;
    std::vector<uint8_t> is_fresh(w.page_count, 0);
    BinaryWriter record;
    uint64_t live = 0;
    for (size_t i = 0; i < w.page_count; ++i) {
      record.buffer().clear();
      const PageRef* kept = nullptr;
      IndexEntry& e = (*index)[i];
      e.rel = w.write_page(i, record, &kept);
      if (kept) {
        e.ref = *kept;
        live += kept->size;
      } else {
        e.ref = {fresh.size(), record.size(), hash_bytes(record.buffer())};
        fresh += record.buffer();
        is_fresh[i] = 1;
      }
    }
    // Appended to the old log while at most half of it would be records no
    // state points to; written anew otherwise.
    const uint64_t old_end = previous_->header().pages_end;
    const bool append = live <= old_end && old_end - live <= live + fresh.size();
    int fd = -1;
    uint64_t fresh_at = 0;
    if (append) {
      header_->pages_generation = previous_->header().pages_generation;
      fd = ::open((folder_ / pages_name(header_->pages_generation)).c_str(), O_WRONLY | O_CLOEXEC);
      // What a stopped build appended after the end goes.
      if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(old_end)) != 0 ||
          ::lseek(fd, static_cast<off_t>(old_end), SEEK_SET) < 0)
        return fail(fd);
      fresh_at = old_end;
    } else {
      fd = create_generation(folder_, kPagesPrefix, &header_->pages_generation);
      if (fd < 0) return fail(fd);
      // The records that stay, copied from the old log into the new one.
      std::string buffer;
      for (size_t i = 0; i < index->size(); ++i) {
        if (is_fresh[i]) continue;
        PageRef& ref = (*index)[i].ref;
        std::string_view bytes = previous_->page_bytes(ref);
        if (bytes.size() != ref.size) return fail(fd);
        ref.offset = fresh_at + buffer.size();
        buffer += bytes;
        if (buffer.size() >= (1 << 20)) {
          if (!write_all(fd, buffer)) return fail(fd);
          fresh_at += buffer.size();
          buffer.clear();
        }
      }
      if (!write_all(fd, buffer)) return fail(fd);
      fresh_at += buffer.size();
    }
    if (!write_all(fd, fresh)) return fail(fd);
    ::close(fd);
    for (size_t i = 0; i < index->size(); ++i)
      if (is_fresh[i]) (*index)[i].ref.offset += fresh_at;
    header_->pages_end = fresh_at + fresh.size();
    return true;
  }

 private:
  bool write_new(const StateWriter& w, std::vector<IndexEntry>* index) {
    int fd = create_generation(folder_, kPagesPrefix, &header_->pages_generation);
    if (fd < 0) return fail(fd);
    FileSink out(fd);
    BinaryWriter all, record;
    for (size_t i = 0; i < w.page_count; ++i) {
      record.buffer().clear();
      const PageRef* kept = nullptr;
      IndexEntry& e = (*index)[i];
      e.rel = w.write_page(i, record, &kept);
      if (kept) {  // a full build keeps nothing
        errno = EINVAL;
        return fail(fd);
      }
      e.ref = {out.written() + all.size(), record.size(), hash_bytes(record.buffer())};
      all.raw(record.buffer());
      if (!out.flush(all, false)) return fail(fd);
    }
    if (!out.flush(all, true)) return fail(fd);
    header_->pages_end = out.written();
    ::close(fd);
    return true;
  }

  bool fail(int fd) {
    *error_ = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }

  std::filesystem::path folder_;
  const SavedState* previous_;
  StateHeader* header_;
  std::string* error_;
};

}  // namespace

bool StateWriter::write_pages(const std::filesystem::path& folder, const SavedState* previous,
                              std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  page_index_.clear();
  if (!PageLogWriter(folder, previous, &header, error).write(*this, &page_index_)) return false;
  pages_written_ = true;
  return true;
}

bool StateWriter::write_base(const std::filesystem::path& folder, std::string* error) {
  int fd = create_generation(folder, kBasePrefix, &header.base_generation);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  std::vector<const OutputEntry*> all;
  all.reserve(outputs.size());
  for (const OutputEntry& o : outputs) all.push_back(&o);
  std::vector<SectionBody> bodies = {
      [&](BinaryWriter& w, FileSink& out) {
        w.varint(keys.size());
        for (size_t i = 0; i < keys.size(); ++i) {
          w.str(keys[i]);
          w.u64(fingerprints[i]);
          if (!out.flush(w, false)) return false;
        }
        return true;
      },
      [&](BinaryWriter& w, FileSink& out) { return write_outputs(all, w, out); }};
  bool ok = write_sections(fd, kBaseMagic, bodies);
  if (!ok) *error = std::strerror(errno);
  ::close(fd);
  // An unfinished base is named by no state; the next save deletes it.
  return ok;
}

bool StateWriter::save(const std::filesystem::path& folder, const SavedState* previous,
                       std::string* error) {
  if (!pages_written_ && !write_pages(folder, previous, error)) return false;
  const std::vector<IndexEntry>& index = page_index_;

  // The keys and outputs: as their difference from the previous state's
  // base, which keeps its numbers for the keys, or a new base.
  if (!previous || keys.size() < previous->keys().size()) compact = true;
  std::vector<uint32_t> changed_keys;
  std::vector<const OutputEntry*> delta_outputs;
  std::vector<std::string_view> removed_outputs;
  size_t base_keys = keys.size();
  if (!compact) {
    header.base_generation = previous->header().base_generation;
    base_keys = previous->base_key_count();
    for (size_t k = 0; k < base_keys; ++k)
      if (fingerprints[k] != previous->base_fingerprint(k))
        changed_keys.push_back(static_cast<uint32_t>(k));
    // The outputs the base has as they are now are left out; the base's
    // outputs no longer made are named. An output the base has is marked
    // where the previous state holds it (its own entry, or the base's
    // entry of one the difference replaced).
    const auto& merged = previous->outputs();
    std::vector<uint8_t> seen(merged.size(), 0);
    size_t seen_replaced = 0;
    std::unordered_map<std::string_view, bool> replaced_seen;
    for (const auto& [path, o] : previous->base_replaced()) replaced_seen.emplace(path, false);
    for (const OutputEntry& o : outputs) {
      const SavedState::Output* now = previous->find_output(o.path);
      if (now) seen[now - merged.data()] = 1;
      const SavedState::Output* base = now && now->in_base ? now : nullptr;
      if (!base && !replaced_seen.empty()) {
        auto it = replaced_seen.find(o.path);
        if (it != replaced_seen.end()) {
          seen_replaced += !it->second;
          it->second = true;
          base = previous->base_output(o.path);
        }
      }
      if (base && base->recipe == o.recipe && base->hash == o.hash && same_deps(base->deps, o.deps))
        continue;
      delta_outputs.push_back(&o);
    }
    for (size_t i = 0; i < merged.size(); ++i)
      if (!seen[i] && merged[i].in_base) removed_outputs.push_back(merged[i].path);
    if (seen_replaced < replaced_seen.size())
      for (const auto& [path, was_seen] : replaced_seen)
        if (!was_seen) removed_outputs.push_back(path);
    // A difference grown past a quarter of its base is folded into a new
    // one (the keys keep their numbers).
    const size_t delta_keys = changed_keys.size() + keys.size() - base_keys;
    const size_t delta = delta_outputs.size() + removed_outputs.size();
    compact = delta_keys > base_keys / 4 + 64 || delta > previous->base_output_count() / 4 + 64;
  }
  if (compact) {
    base_keys = keys.size();
    changed_keys.clear();
    delta_outputs.clear();
    removed_outputs.clear();
    if (!write_base(folder, error)) return false;
  }

  // A temporary name beside the state, then a rename: a state is either
  // the old one or the new one, whole, whenever the build is stopped.
  std::filesystem::path file = folder / kStateFile;
  std::filesystem::path tmp = folder / "state.tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  // Sorted by path, as the reader requires.
  auto by_path = [](const InputEntry& a, const InputEntry& b) { return a.path < b.path; };
  if (!std::is_sorted(inputs.begin(), inputs.end(), by_path))
    std::sort(inputs.begin(), inputs.end(), by_path);
  std::vector<SectionBody> bodies = {[&](BinaryWriter& w, FileSink&) {
                                       w.str(header.byline_version);
                                       w.u64(header.environment);
                                       w.svarint(header.now);
                                       w.svarint(header.next_change);
                                       w.u8(header.reads_clock ? 1 : 0);
                                       w.svarint(header.racy_from);
                                       w.u64(header.pages_generation);
                                       w.u64(header.pages_end);
                                       w.u64(header.base_generation);
                                       return true;
                                     },
                                     [&](BinaryWriter& w, FileSink& out) {
                                       w.varint(inputs.size());
                                       for (const InputEntry& in : inputs) {
                                         w.str(in.path);
                                         w.u64(in.stamp.size);
                                         w.svarint(in.stamp.mtime_ns);
                                         w.u64(in.stamp.inode);
                                         w.u64(in.hash);
                                         if (!out.flush(w, false)) return false;
                                       }
                                       return true;
                                     },
                                     [&](BinaryWriter& w, FileSink& out) {
                                       w.varint(index.size());
                                       for (const IndexEntry& e : index) {
                                         w.str(e.rel);
                                         w.varint(e.ref.offset);
                                         w.varint(e.ref.size);
                                         w.u64(e.ref.hash);
                                         if (!out.flush(w, false)) return false;
                                       }
                                       return true;
                                     },
                                     // The keys: how many the base has, those of its keys whose
                                     // fingerprint changed, and the keys numbered after its own.
                                     [&](BinaryWriter& w, FileSink& out) {
                                       w.varint(base_keys);
                                       w.varint(changed_keys.size());
                                       for (uint32_t k : changed_keys) {
                                         w.varint(k);
                                         w.u64(fingerprints[k]);
                                       }
                                       w.varint(keys.size() - base_keys);
                                       for (size_t k = base_keys; k < keys.size(); ++k) {
                                         w.str(keys[k]);
                                         w.u64(fingerprints[k]);
                                         if (!out.flush(w, false)) return false;
                                       }
                                       return true;
                                     },
                                     // The outputs: those of the base gone, then those not as the
                                     // base has them.
                                     [&](BinaryWriter& w, FileSink& out) {
                                       w.varint(removed_outputs.size());
                                       for (std::string_view path : removed_outputs) w.str(path);
                                       return write_outputs(delta_outputs, w, out);
                                     }};
  bool ok = write_sections(fd, kMagic, bodies);
  if (!ok) {
    *error = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    *error = std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  remove_stale(folder, header.pages_generation, header.base_generation);
  return true;
}

bool SavedState::load(const std::filesystem::path& folder) {
  folder_ = folder;
  if (!file_.open((folder / kStateFile).string())) return false;
  if (parse_head()) return true;
  header_ = StateHeader();
  inputs_.clear();
  return false;
}

bool SavedState::section(size_t i, std::string_view* out) const {
  if (i >= sections_.size() || hash_bytes(sections_[i]) != section_hashes_[i]) return false;
  *out = sections_[i];
  return true;
}

bool SavedState::parse_head() {
  std::string_view all = file_.text();
  if (!read_directory(all, kMagic, kSectionCount, &sections_, &section_hashes_)) return false;

  std::string_view bytes;
  if (!section(kHeader, &bytes)) return false;
  BinaryReader h(bytes);
  header_.byline_version = h.str();
  header_.environment = h.u64();
  header_.now = h.svarint();
  header_.next_change = h.svarint();
  header_.reads_clock = h.u8() != 0;
  header_.racy_from = h.svarint();
  header_.pages_generation = h.u64();
  header_.pages_end = h.u64();
  header_.base_generation = h.u64();
  if (h.failed()) return false;

  if (!section(kInputs, &bytes)) return false;
  BinaryReader r(bytes);
  inputs_.resize(r.count(26));
  for (size_t i = 0; i < inputs_.size(); ++i) {
    Input& in = inputs_[i];
    in.path = r.str();
    in.stamp.size = r.u64();
    in.stamp.mtime_ns = r.svarint();
    in.stamp.inode = r.u64();
    in.hash = r.u64();
    if (i > 0 && !(inputs_[i - 1].path < in.path)) return false;
  }
  return !r.failed() && r.at_end();
}

bool SavedState::load_rest() {
  if (parse_rest()) return true;
  page_index_.clear();
  keys_.clear();
  fingerprints_.clear();
  dep_storage_.clear();
  delta_dep_storage_.clear();
  outputs_.clear();
  output_index_.clear();
  base_fingerprints_.clear();
  base_output_count_ = 0;
  base_replaced_.clear();
  delta_outputs_ = delta_keys_ = 0;
  return false;
}

bool SavedState::parse_rest() {
  if (!pages_.open((folder_ / pages_name(header_.pages_generation)).string()) ||
      pages_.text().size() < header_.pages_end)
    return false;
  std::string_view bytes;
  if (!section(kPageIndex, &bytes)) return false;
  BinaryReader p(bytes);
  size_t pages = p.count(11);
  page_index_.reserve(pages);
  for (size_t i = 0; i < pages; ++i) {
    std::string_view rel = p.str();
    PageRef ref;
    ref.offset = p.varint();
    ref.size = p.varint();
    ref.hash = p.u64();
    if (ref.offset > header_.pages_end || ref.size > header_.pages_end - ref.offset) return false;
    page_index_.emplace(rel, ref);
  }
  if (p.failed() || !p.at_end()) return false;

  // The base, whose sections are checked like the state's.
  if (!base_.open((folder_ / base_name(header_.base_generation)).string())) return false;
  std::vector<std::string_view> base_sections;
  std::vector<uint64_t> base_hashes;
  if (!read_directory(base_.text(), kBaseMagic, kBaseSectionCount, &base_sections, &base_hashes))
    return false;
  for (size_t i = 0; i < kBaseSectionCount; ++i)
    if (hash_bytes(base_sections[i]) != base_hashes[i]) return false;
  if (!parse_base(base_sections[kBaseKeys], base_sections[kBaseOutputs])) return false;

  std::string_view keys, outputs;
  return section(kKeyDelta, &keys) && section(kOutputDelta, &outputs) && apply_delta(keys, outputs);
}

bool SavedState::parse_base(std::string_view key_bytes, std::string_view output_bytes) {
  BinaryReader k(key_bytes);
  size_t keys = k.count(9);
  keys_.resize(keys);
  fingerprints_.resize(keys);
  for (size_t i = 0; i < keys; ++i) {
    keys_[i] = k.str();
    fingerprints_[i] = k.u64();
  }
  if (k.failed() || !k.at_end()) return false;
  base_fingerprints_ = fingerprints_;

  BinaryReader r(output_bytes);
  if (!read_outputs(r, keys, &dep_storage_, &outputs_)) return false;
  base_output_count_ = outputs_.size();
  output_index_.reserve(outputs_.size());
  for (size_t i = 0; i < outputs_.size(); ++i) output_index_.emplace(outputs_[i].path, i);
  return output_index_.size() == outputs_.size();
}

bool SavedState::apply_delta(std::string_view key_bytes, std::string_view output_bytes) {
  BinaryReader k(key_bytes);
  if (k.varint() != keys_.size()) return false;  // another base's
  const size_t changed = k.count(9);
  for (size_t i = 0; i < changed; ++i) {
    uint64_t key = k.varint();
    uint64_t fingerprint = k.u64();
    if (k.failed() || key >= keys_.size()) return false;
    fingerprints_[key] = fingerprint;
  }
  const size_t added = k.count(9);
  keys_.reserve(keys_.size() + added);
  for (size_t i = 0; i < added; ++i) {
    keys_.push_back(k.str());
    fingerprints_.push_back(k.u64());
  }
  if (k.failed() || !k.at_end()) return false;
  delta_keys_ = changed + added;

  BinaryReader r(output_bytes);
  const size_t removed = r.count(1);
  std::vector<uint8_t> gone;
  for (size_t i = 0; i < removed; ++i) {
    auto it = output_index_.find(r.str());
    if (r.failed() || it == output_index_.end()) return false;
    if (gone.empty()) gone.assign(outputs_.size(), 0);
    gone[it->second] = 1;
    base_replaced_.emplace(it->first, outputs_[it->second]);
  }
  std::vector<Output> made;
  if (!read_outputs(r, keys_.size(), &delta_dep_storage_, &made)) return false;
  delta_outputs_ = removed + made.size();
  for (Output& o : made) {
    o.in_base = false;
    auto [it, added_now] = output_index_.try_emplace(o.path, outputs_.size());
    if (added_now) {
      outputs_.push_back(o);
      if (!gone.empty()) gone.push_back(0);
      continue;
    }
    Output& there = outputs_[it->second];
    // An output twice in the difference, or one both gone and made.
    if (!there.in_base || (!gone.empty() && gone[it->second])) return false;
    base_replaced_.emplace(it->first, there);
    there = o;
  }
  if (gone.empty()) return true;
  size_t kept = 0;
  for (size_t i = 0; i < outputs_.size(); ++i)
    if (!gone[i]) outputs_[kept++] = outputs_[i];
  outputs_.resize(kept);
  output_index_.clear();
  for (size_t i = 0; i < outputs_.size(); ++i) output_index_.emplace(outputs_[i].path, i);
  return true;
}

const SavedState::Input* SavedState::find_input(std::string_view path) const {
  auto it = std::lower_bound(inputs_.begin(), inputs_.end(), path,
                             [](const Input& in, std::string_view p) { return in.path < p; });
  return it != inputs_.end() && it->path == path ? &*it : nullptr;
}

const PageRef* SavedState::page_ref(std::string_view rel) const {
  auto it = page_index_.find(rel);
  return it == page_index_.end() ? nullptr : &it->second;
}

std::string_view SavedState::page_bytes(const PageRef& ref) const {
  std::string_view log = pages_.text();
  if (ref.offset > header_.pages_end || ref.size > header_.pages_end - ref.offset ||
      header_.pages_end > log.size())
    return {};
  return log.substr(ref.offset, ref.size);
}

bool SavedState::page(std::string_view rel, PageRecord* out, bool front_matter_text) const {
  const PageRef* ref = page_ref(rel);
  if (!ref) return false;
  std::string_view bytes = page_bytes(*ref);
  if (bytes.size() != ref->size || hash_bytes(bytes) != ref->hash) return false;
  BinaryReader r(bytes);
  return read_page_record(r, out, front_matter_text) && r.at_end();
}

const SavedState::Output* SavedState::find_output(std::string_view path) const {
  auto it = output_index_.find(path);
  return it == output_index_.end() ? nullptr : &outputs_[it->second];
}

const SavedState::Output* SavedState::base_output(std::string_view path) const {
  const Output* now = find_output(path);
  if (now && now->in_base) return now;
  auto it = base_replaced_.find(path);
  return it == base_replaced_.end() ? nullptr : &it->second;
}

}  // namespace byline
