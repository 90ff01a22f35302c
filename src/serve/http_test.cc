#include "serve/http.h"

#include <gtest/gtest.h>

namespace byline::http {
namespace {

TEST(HttpHeadEnd, CrlfOrBareLf) {
  EXPECT_EQ(head_end("GET / HTTP/1.1\r\nHost: x\r\n"), 0u);
  EXPECT_EQ(head_end("GET / HTTP/1.1\r\nHost: x\r\n\r\nrest"), 27u);
  EXPECT_EQ(head_end("GET / HTTP/1.1\nHost: x\n\nrest"), 24u);
}

TEST(HttpParseHead, AWellFormedRequest) {
  Request r;
  ASSERT_EQ(parse_head("GET /a?b HTTP/1.1\r\nHost: x\r\nRange:  bytes=0-1 \r\n\r\n", &r), 0);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/a?b");
  EXPECT_EQ(r.minor_version, 1);
  ASSERT_NE(r.header("range"), nullptr);
  EXPECT_EQ(*r.header("range"), "bytes=0-1");
  EXPECT_TRUE(r.keep_alive);
  ASSERT_EQ(parse_head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", &r), 0);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse_head("GET / HTTP/1.0\r\n\r\n", &r), 0);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse_head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r), 0);
  EXPECT_TRUE(r.keep_alive);
  ASSERT_EQ(parse_head("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n", &r), 0);
  EXPECT_EQ(r.content_length, 12u);
}

TEST(HttpParseHead, MalformedHeadsAreRefused) {
  Request r;
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nHost x\r\n\r\n", &r), 400);    // no colon
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nHost : x\r\n\r\n", &r), 400);  // space before it
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\n: x\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", &r), 400);  // folded
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &r),
            400);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", &r), 0);
  EXPECT_EQ(parse_head("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &r), 501);
  EXPECT_EQ(parse_head("GET / HTTP/2.0\r\n\r\n", &r), 505);
  EXPECT_EQ(parse_head("GET / HTTQ/1.1\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET  / HTTP/1.1\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET /\x01 HTTP/1.1\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("GET /\r\n\r\n", &r), 400);
  EXPECT_EQ(parse_head("G(T / HTTP/1.1\r\n\r\n", &r), 400);
}

TEST(HttpDecodePath, DecodesAndNormalises) {
  std::string p;
  bool slash = false;
  ASSERT_EQ(decode_path("/", &p, &slash), 0);
  EXPECT_EQ(p, "");
  EXPECT_TRUE(slash);
  ASSERT_EQ(decode_path("/a%20b/./c//d.html?x=%00#f", &p, &slash), 0);
  EXPECT_EQ(p, "a b/c/d.html");
  EXPECT_FALSE(slash);
  ASSERT_EQ(decode_path("/a/b/../c/", &p, &slash), 0);
  EXPECT_EQ(p, "a/c");
  EXPECT_TRUE(slash);
  ASSERT_EQ(decode_path("http://example.com/x/y", &p, &slash), 0);
  EXPECT_EQ(p, "x/y");
  ASSERT_EQ(decode_path("/caf%C3%A9/", &p, &slash), 0);
  EXPECT_EQ(p, "caf\xc3\xa9");
}

TEST(HttpDecodePath, ControlBytesAndEscapesAreRefused) {
  std::string p;
  bool slash = false;
  EXPECT_EQ(decode_path("/index.html%00.png", &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%01", &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%0Ab", &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%7f", &p, &slash), 400);
  EXPECT_EQ(decode_path(std::string_view("/a\0b", 4), &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%zz", &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%2", &p, &slash), 400);
  EXPECT_EQ(decode_path("/a%", &p, &slash), 400);
  EXPECT_EQ(decode_path("a", &p, &slash), 400);
  EXPECT_EQ(decode_path("*", &p, &slash), 400);
  EXPECT_EQ(decode_path("/../etc/passwd", &p, &slash), 404);
  EXPECT_EQ(decode_path("/a/../../etc/passwd", &p, &slash), 404);
  EXPECT_EQ(decode_path("/%2e%2e/etc/passwd", &p, &slash), 404);
  EXPECT_EQ(decode_path("/a%2f..%2f..%2fetc", &p, &slash), 404);
}

TEST(HttpParseRange, OneRangeIsServed) {
  uint64_t a = 0, b = 0;
  EXPECT_EQ(parse_range("bytes=0-9", 100, &a, &b), RangeResult::kPartial);
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(b, 9u);
  EXPECT_EQ(parse_range("bytes=90-", 100, &a, &b), RangeResult::kPartial);
  EXPECT_EQ(a, 90u);
  EXPECT_EQ(b, 99u);
  EXPECT_EQ(parse_range("bytes=90-1000", 100, &a, &b), RangeResult::kPartial);
  EXPECT_EQ(b, 99u);
  EXPECT_EQ(parse_range("bytes=-10", 100, &a, &b), RangeResult::kPartial);
  EXPECT_EQ(a, 90u);
  EXPECT_EQ(b, 99u);
  EXPECT_EQ(parse_range("bytes=-1000", 100, &a, &b), RangeResult::kPartial);
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(parse_range("bytes=100-", 100, &a, &b), RangeResult::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 100, &a, &b), RangeResult::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0, &a, &b), RangeResult::kUnsatisfiable);
}

TEST(HttpParseRange, SeveralRangesOrNonsenseGetTheWholeBody) {
  uint64_t a = 0, b = 0;
  std::string many = "bytes=";
  for (int i = 0; i < 2700; ++i) many += "0-,";
  many += "0-";
  EXPECT_EQ(parse_range(many, 12000, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("bytes=0-1,5-6", 100, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("bytes=9-1", 100, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("bytes=x-1", 100, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("bytes=-", 100, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("items=0-1", 100, &a, &b), RangeResult::kWhole);
  EXPECT_EQ(parse_range("bytes=-5-", 100, &a, &b), RangeResult::kWhole);
}

}  // namespace
}  // namespace byline::http
