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

#include "base/hash.h"

namespace byline {

namespace {

constexpr std::string_view kMagic = "BYLSTATE";
constexpr const char* kStateFile = "state";
constexpr const char* kPagesPrefix = "pages-";

// The sections of the state file, in this order.
enum Section : size_t { kHeader, kInputs, kPageIndex, kKeys, kOutputs, kSectionCount };
// Magic, format, section count; then per section its offset, size and hash;
// then the hash of all of that.
constexpr size_t kDirectorySize = kMagic.size() + 4 + 4 + kSectionCount * 24 + 8;

std::string pages_name(uint64_t generation) {
  char name[32];
  std::snprintf(name, sizeof name, "%s%016llx", kPagesPrefix,
                static_cast<unsigned long long>(generation));
  return name;
}

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

// A new page log: a name no other file in `folder` has.
int create_log(const std::filesystem::path& folder, uint64_t* generation) {
  uint64_t g =
      hash_bytes(std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "/" +
                 std::to_string(::getpid())) |
      1;
  for (int attempt = 0; attempt < 16; ++attempt, ++g) {
    int fd =
        ::open((folder / pages_name(g)).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) {
      *generation = g;
      return fd;
    }
  }
  return -1;
}

// Deletes the page logs other than `keep` and a temporary state left by a
// stopped build.
void remove_stale(const std::filesystem::path& folder, uint64_t keep) {
  std::string kept = pages_name(keep);
  if (DIR* d = ::opendir(folder.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if ((name.starts_with(kPagesPrefix) && name != kept) || name == "state.tmp")
        ::unlinkat(::dirfd(d), e->d_name, 0);
    }
    ::closedir(d);
  }
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
      fd = create_log(folder_, &header_->pages_generation);
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
    int fd = create_log(folder_, &header_->pages_generation);
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

bool StateWriter::save(const std::filesystem::path& folder, const SavedState* previous,
                       std::string* error) {
  if (!pages_written_ && !write_pages(folder, previous, error)) return false;
  const std::vector<IndexEntry>& index = page_index_;

  // A temporary name beside the state, then a rename: a state is either
  // the old one or the new one, whole, whenever the build is stopped.
  std::filesystem::path file = folder / kStateFile;
  std::filesystem::path tmp = folder / "state.tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  // The directory is written last, over the room left for it.
  FileSink out(fd, kDirectorySize);
  bool ok = ::lseek(fd, kDirectorySize, SEEK_SET) == static_cast<off_t>(kDirectorySize);
  uint64_t offsets[kSectionCount], sizes[kSectionCount], hashes[kSectionCount];
  BinaryWriter w;
  auto section = [&](Section s, auto&& body) {
    if (!ok) return;
    out.restart();
    offsets[s] = out.written();
    ok = body() && out.flush(w, true);
    sizes[s] = out.written() - offsets[s];
    hashes[s] = out.digest();
  };
  section(kHeader, [&] {
    w.str(header.byline_version);
    w.u64(header.environment);
    w.svarint(header.now);
    w.svarint(header.next_change);
    w.u8(header.reads_clock ? 1 : 0);
    w.svarint(header.racy_from);
    w.u64(header.pages_generation);
    w.u64(header.pages_end);
    return true;
  });
  // Sorted by path, as the reader requires.
  auto by_path = [](const InputEntry& a, const InputEntry& b) { return a.path < b.path; };
  if (!std::is_sorted(inputs.begin(), inputs.end(), by_path))
    std::sort(inputs.begin(), inputs.end(), by_path);
  section(kInputs, [&] {
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
  });
  section(kPageIndex, [&] {
    w.varint(index.size());
    for (const IndexEntry& e : index) {
      w.str(e.rel);
      w.varint(e.ref.offset);
      w.varint(e.ref.size);
      w.u64(e.ref.hash);
      if (!out.flush(w, false)) return false;
    }
    return true;
  });
  section(kKeys, [&] {
    w.varint(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      w.str(keys[i]);
      w.u64(fingerprints[i]);
      if (!out.flush(w, false)) return false;
    }
    return true;
  });
  // Every output's keys first, as one array of numbers that the reader
  // views where it is mapped (at 100,000 posts there are 7 million), then
  // the outputs. The array starts at a multiple of 4 bytes in the file:
  // a count of padding bytes, and the padding.
  section(kOutputs, [&] {
    w.varint(outputs.size());
    size_t total = 0;
    for (const OutputEntry& o : outputs) total += o.deps.size();
    w.varint(total);
    const size_t at = out.written() + w.size() + 1;
    const uint8_t pad = static_cast<uint8_t>((4 - at % 4) % 4);
    w.u8(pad);
    for (uint8_t i = 0; i < pad; ++i) w.u8(0);
    for (const OutputEntry& o : outputs) {
      w.u32s(o.deps);
      if (!out.flush(w, false)) return false;
    }
    for (const OutputEntry& o : outputs) {
      w.str(o.path);
      w.str(o.recipe);
      w.u64(o.hash);
      w.varint(o.deps.size());
      if (!out.flush(w, false)) return false;
    }
    return true;
  });
  if (ok) {
    BinaryWriter dir;
    dir.raw(kMagic);
    dir.u32(kStateFormat);
    dir.u32(kSectionCount);
    for (size_t s = 0; s < kSectionCount; ++s) {
      dir.u64(offsets[s]);
      dir.u64(sizes[s]);
      dir.u64(hashes[s]);
    }
    dir.u64(hash_bytes(dir.buffer()));
    ok = ::pwrite(fd, dir.buffer().data(), dir.size(), 0) == static_cast<ssize_t>(dir.size());
  }
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
  remove_stale(folder, header.pages_generation);
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
  if (all.size() < kDirectorySize || all.substr(0, kMagic.size()) != kMagic) return false;
  BinaryReader dir(all.substr(kMagic.size(), kDirectorySize - kMagic.size()));
  if (dir.u32() != kStateFormat || dir.u32() != kSectionCount) return false;
  for (size_t s = 0; s < kSectionCount; ++s) {
    uint64_t offset = dir.u64(), size = dir.u64(), hash = dir.u64();
    if (offset < kDirectorySize || offset > all.size() || size > all.size() - offset) return false;
    sections_.push_back(all.substr(offset, size));
    section_hashes_.push_back(hash);
  }
  if (dir.u64() != hash_bytes(all.substr(0, kDirectorySize - 8))) return false;

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
  outputs_.clear();
  output_index_.clear();
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

  if (!section(kKeys, &bytes)) return false;
  BinaryReader k(bytes);
  size_t keys = k.count(9);
  keys_.resize(keys);
  fingerprints_.resize(keys);
  for (size_t i = 0; i < keys; ++i) {
    keys_[i] = k.str();
    fingerprints_[i] = k.u64();
  }
  if (k.failed() || !k.at_end()) return false;

  if (!section(kOutputs, &bytes)) return false;
  BinaryReader r(bytes);
  size_t outputs = r.count(11);
  size_t total = r.varint();
  r.skip(r.u8());
  std::span<const uint32_t> deps;
  if (!r.u32s_in_place(total, &deps)) {
    if (r.failed() || !r.u32s(total, &dep_storage_)) return false;
    deps = dep_storage_;
  }
  for (uint32_t key : deps)
    if (key >= keys) return false;
  outputs_.resize(outputs);
  output_index_.reserve(outputs);
  size_t next = 0;
  for (size_t i = 0; i < outputs; ++i) {
    Output& o = outputs_[i];
    o.path = r.str();
    o.recipe = r.str();
    o.hash = r.u64();
    size_t n = r.varint();
    if (n > total - next) return false;
    o.deps = deps.subspan(next, n);
    next += n;
    output_index_.emplace(o.path, i);
  }
  return !r.failed() && r.at_end() && next == total;
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

}  // namespace byline
