#include "base/binary.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <span>
#include <vector>

namespace byline {
namespace {

TEST(Binary, RoundTrips) {
  BinaryWriter w;
  w.u8(7);
  w.u32(0xdeadbeef);
  w.u64(0x0123456789abcdefULL);
  for (uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, ~0ULL}) w.varint(v);
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-300},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()})
    w.svarint(v);
  w.str("");
  w.str("caf\xc3\xa9");
  BinaryReader r(w.buffer());
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.u64(), 0x0123456789abcdefULL);
  for (uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, ~0ULL}) EXPECT_EQ(r.varint(), v);
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-300},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()})
    EXPECT_EQ(r.svarint(), v);
  EXPECT_EQ(r.str(), "");
  EXPECT_EQ(r.str(), "caf\xc3\xa9");
  EXPECT_TRUE(r.at_end());
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(w.buffer()[1], '\xef');  // little-endian
  EXPECT_EQ(w.buffer()[4], '\xde');
}

TEST(Binary, ReadingPastTheEndFailsOnceAndForAll) {
  BinaryWriter w;
  w.str("hello");
  std::string cut = w.buffer().substr(0, 3);
  BinaryReader r(cut);
  EXPECT_EQ(r.str(), "");
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.u64(), 0u);
  EXPECT_TRUE(r.failed());

  std::string endless(20, '\xff');  // a varint that never ends
  BinaryReader v(endless);
  EXPECT_EQ(v.varint(), 0u);
  EXPECT_TRUE(v.failed());

  BinaryWriter big;
  big.varint(1ULL << 40);  // a count no data could hold
  BinaryReader c(big.buffer());
  EXPECT_EQ(c.count(), 0u);
  EXPECT_TRUE(c.failed());
}

// Numbers are viewed where they lie only when they are aligned; a reader
// that cannot view them has read nothing and can still copy them.
TEST(Binary, ViewsAlignedNumbersInPlace) {
  const std::vector<uint32_t> numbers = {1, 0xfffffffeu, 42};
  BinaryWriter w;
  w.u32s(numbers);
  // Backed by uint32_t storage, so aligned at 0 and misaligned at 1.
  std::vector<uint32_t> storage(8, 0);
  char* bytes = reinterpret_cast<char*>(storage.data());
  std::memcpy(bytes, w.buffer().data(), w.size());
  BinaryReader aligned(std::string_view(bytes, w.size()));
  std::span<const uint32_t> view;
  ASSERT_TRUE(aligned.u32s_in_place(3, &view));
  EXPECT_EQ(static_cast<const void*>(view.data()), static_cast<const void*>(bytes));
  EXPECT_EQ(std::vector<uint32_t>(view.begin(), view.end()), numbers);
  EXPECT_TRUE(aligned.at_end());

  std::memcpy(bytes + 1, w.buffer().data(), w.size());
  BinaryReader shifted(std::string_view(bytes, w.size() + 1));
  shifted.skip(1);
  EXPECT_FALSE(shifted.u32s_in_place(3, &view));
  EXPECT_FALSE(shifted.failed());
  std::vector<uint32_t> copy;
  ASSERT_TRUE(shifted.u32s(3, &copy));
  EXPECT_EQ(copy, numbers);

  BinaryReader short_data(std::string_view(bytes, 8));
  EXPECT_FALSE(short_data.u32s_in_place(3, &view));
  EXPECT_TRUE(short_data.failed());
  BinaryReader past(std::string_view(bytes, 2));
  past.skip(3);
  EXPECT_TRUE(past.failed());
}

}  // namespace
}  // namespace byline
