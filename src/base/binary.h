// The byte format of byline's own binary files (the saved build state, the
// kept search analysis): little-endian fixed-width integers, LEB128 varints
// and length-prefixed strings, written into one buffer and read back,
// bounds-checked, from a mapped file.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// Arrays of numbers are written as they are in memory.
static_assert(std::endian::native == std::endian::little, "the state's format is little-endian");

class BinaryWriter {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { fixed(v, 4); }
  void u64(uint64_t v) { fixed(v, 8); }
  void varint(uint64_t v) {
    char bytes[10];
    size_t n = 0;
    while (v >= 0x80) {
      bytes[n++] = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    bytes[n++] = static_cast<char>(v);
    out_.append(bytes, n);
  }
  // Signed, zigzag-coded so that small negative numbers stay small.
  void svarint(int64_t v) {
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void str(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }
  void raw(std::string_view s) { out_.append(s); }
  // 32-bit numbers, 4 bytes each.
  void u32s(std::span<const uint32_t> v) {
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(uint32_t));
  }

  size_t size() const { return out_.size(); }
  std::string& buffer() { return out_; }

 private:
  void fixed(uint64_t v, int bytes) {
    char b[8];
    for (int i = 0; i < bytes; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    out_.append(b, static_cast<size_t>(bytes));
  }
  std::string out_;
};

// Reads what a BinaryWriter wrote. A read past the end, or a malformed
// varint, sets failed() and returns zero or empty from then on: the caller
// checks once, at the end, and treats the state as absent.
class BinaryReader {
 public:
  explicit BinaryReader(std::string_view data) : data_(data) {}

  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return fail();
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  int64_t svarint() {
    uint64_t v = varint();
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  // A view into the data: valid as long as the data is.
  std::string_view str() {
    uint64_t n = varint();
    if (failed_ || n > data_.size() - pos_) {
      fail();
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count of items each at least `min_bytes` long: refused when the data
  // left could not hold them, so a corrupt count cannot ask for gigabytes.
  size_t count(size_t min_bytes = 1) {
    uint64_t n = varint();
    if (failed_ || (min_bytes && n > (data_.size() - pos_) / min_bytes)) return fail();
    return static_cast<size_t>(n);
  }

  // `n` 32-bit numbers written by BinaryWriter::u32s, appended to `out`.
  bool u32s(size_t n, std::vector<uint32_t>* out) {
    if (failed_ || n > (data_.size() - pos_) / sizeof(uint32_t)) return fail();
    size_t at = out->size();
    out->resize(at + n);
    std::memcpy(out->data() + at, data_.data() + pos_, n * sizeof(uint32_t));
    pos_ += n * sizeof(uint32_t);
    return true;
  }

  // `n` 32-bit numbers viewed where they are, when they are aligned for
  // uint32_t in memory; false (and nothing read) when they are not, or
  // when the data cannot hold them (then failed() is set).
  bool u32s_in_place(size_t n, std::span<const uint32_t>* out) {
    if (failed_ || n > (data_.size() - pos_) / sizeof(uint32_t)) return fail();
    const char* at = data_.data() + pos_;
    if (reinterpret_cast<uintptr_t>(at) % alignof(uint32_t) != 0) return false;
    *out = std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(at), n);
    pos_ += n * sizeof(uint32_t);
    return true;
  }
  // Skips `n` bytes.
  void skip(size_t n) {
    if (failed_ || n > data_.size() - pos_) {
      fail();
      return;
    }
    pos_ += n;
  }

  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }

 private:
  uint64_t fixed(int bytes) {
    if (data_.size() - pos_ < static_cast<size_t>(bytes) || failed_) return fail();
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    return v;
  }
  uint64_t fail() {
    failed_ = true;
    pos_ = data_.size();
    return 0;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace byline
