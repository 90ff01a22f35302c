// Writing and reading the saved state.
#include "state/saved_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace byline {

namespace {

constexpr std::string_view kMagic = "BYLSTATE";

}  // namespace

uint32_t StateWriter::intern(std::string_view key) {
  auto [it, inserted] =
      key_index_.try_emplace(std::string(key), static_cast<uint32_t>(keys.size()));
  if (inserted) {
    keys.emplace_back(key);
    fingerprints.push_back(0);
  }
  return it->second;
}

namespace {

// Writes what a BinaryWriter collects to a file as it grows, a megabyte at
// a time, and hashes what it writes for the checksum at the end.
class FileSink {
 public:
  explicit FileSink(int fd) : fd_(fd) { XXH3_64bits_reset(&hash_); }
  bool flush(BinaryWriter& w, bool all) {
    if (!all && w.size() < (1 << 20)) return true;
    const std::string& bytes = w.buffer();
    XXH3_64bits_update(&hash_, bytes.data(), bytes.size());
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    w.buffer().clear();
    return true;
  }
  uint64_t digest() const { return XXH3_64bits_digest(&hash_); }

 private:
  int fd_;
  XXH3_state_t hash_;
};

}  // namespace

bool StateWriter::save(const std::filesystem::path& file, std::string* error) const {
  // A temporary name beside the file, then a rename: a state is either the
  // old one or the new one, whole, whenever the build is stopped.
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  FileSink out(fd);
  BinaryWriter w;
  bool ok = true;
  w.raw(kMagic);
  w.u32(kStateFormat);
  w.str(header.byline_version);
  w.u64(header.environment);
  w.svarint(header.now);
  w.svarint(header.next_change);
  w.varint(inputs.size());
  for (const InputEntry& in : inputs) {
    w.str(in.path);
    w.u64(in.stamp.size);
    w.svarint(in.stamp.mtime_ns);
    w.u64(in.stamp.inode);
    w.u64(in.hash);
    ok = ok && out.flush(w, false);
  }
  w.varint(page_count);
  BinaryWriter record;
  for (size_t i = 0; i < page_count && ok; ++i) {
    record.buffer().clear();
    write_page(i, record);
    w.str(record.buffer());
    ok = out.flush(w, false);
  }
  w.varint(keys.size());
  for (size_t i = 0; i < keys.size() && ok; ++i) {
    w.str(keys[i]);
    w.u64(fingerprints[i]);
    ok = out.flush(w, false);
  }
  w.varint(outputs.size());
  for (const OutputEntry& o : outputs) {
    if (!ok) break;
    w.str(o.path);
    w.str(o.recipe);
    w.u64(o.hash);
    w.varint(o.deps.size());
    for (uint32_t d : o.deps) w.varint(d);
    ok = out.flush(w, false);
  }
  ok = ok && out.flush(w, true);
  if (ok) {
    w.u64(out.digest());
    ok = out.flush(w, true);
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
  return true;
}

bool SavedState::load(const std::filesystem::path& file) {
  if (!file_.open(file.string())) return false;
  if (parse()) return true;
  header_ = StateHeader();
  inputs_.clear();
  input_index_.clear();
  page_offsets_.clear();
  keys_.clear();
  fingerprints_.clear();
  dep_storage_.clear();
  outputs_.clear();
  output_index_.clear();
  return false;
}

bool SavedState::parse() {
  std::string_view all = file_.text();
  if (all.size() < kMagic.size() + 12 || all.substr(0, kMagic.size()) != kMagic) return false;
  std::string_view body = all.substr(0, all.size() - 8);
  BinaryReader tail(all.substr(all.size() - 8));
  if (tail.u64() != hash_bytes(body)) return false;
  BinaryReader r(body.substr(kMagic.size()));
  if (r.u32() != kStateFormat) return false;
  header_.byline_version = r.str();
  header_.environment = r.u64();
  header_.now = r.svarint();
  header_.next_change = r.svarint();
  inputs_.resize(r.count(26));
  input_index_.reserve(inputs_.size());
  for (size_t i = 0; i < inputs_.size(); ++i) {
    Input& in = inputs_[i];
    in.path = r.str();
    in.stamp.size = r.u64();
    in.stamp.mtime_ns = r.svarint();
    in.stamp.inode = r.u64();
    in.hash = r.u64();
    input_index_.emplace(in.path, i);
  }
  size_t pages = r.count(1);
  page_offsets_.reserve(pages);
  for (size_t i = 0; i < pages; ++i) {
    std::string_view bytes = r.str();
    BinaryReader peek(bytes);
    page_offsets_.emplace(peek.str(), bytes);
  }
  size_t keys = r.count(9);
  keys_.resize(keys);
  fingerprints_.resize(keys);
  for (size_t i = 0; i < keys; ++i) {
    keys_[i] = r.str();
    fingerprints_[i] = r.u64();
  }
  size_t outputs = r.count(11);
  outputs_.resize(outputs);
  output_index_.reserve(outputs);
  // Two passes over the outputs: the first finds how many dependencies
  // there are, so that each output's span points into one array that is
  // never reallocated.
  BinaryReader first = r;
  size_t total = 0;
  for (size_t i = 0; i < outputs && !first.failed(); ++i) {
    first.str();
    first.str();
    first.u64();
    size_t n = first.count(1);
    total += n;
    for (size_t d = 0; d < n; ++d) first.varint();
  }
  if (first.failed()) return false;
  dep_storage_.reserve(total);
  for (size_t i = 0; i < outputs; ++i) {
    Output& o = outputs_[i];
    o.path = r.str();
    o.recipe = r.str();
    o.hash = r.u64();
    size_t n = r.count(1);
    size_t begin = dep_storage_.size();
    for (size_t d = 0; d < n; ++d) {
      uint64_t key = r.varint();
      if (key >= keys) return false;
      dep_storage_.push_back(static_cast<uint32_t>(key));
    }
    o.deps = std::span<const uint32_t>(dep_storage_.data() + begin, n);
    output_index_.emplace(o.path, i);
  }
  return !r.failed() && r.at_end();
}

const SavedState::Input* SavedState::find_input(std::string_view path) const {
  auto it = input_index_.find(path);
  return it == input_index_.end() ? nullptr : &inputs_[it->second];
}

bool SavedState::page(std::string_view rel, PageRecord* out) const {
  auto it = page_offsets_.find(rel);
  if (it == page_offsets_.end()) return false;
  BinaryReader r(it->second);
  return read_page_record(r, out);
}

const SavedState::Output* SavedState::find_output(std::string_view path) const {
  auto it = output_index_.find(path);
  return it == output_index_.end() ? nullptr : &outputs_[it->second];
}

}  // namespace byline
