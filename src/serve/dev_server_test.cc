// The dev server over real sockets: a DevServer on a free port of
// 127.0.0.1 serving a temporary folder, spoken to byte by byte.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "serve/server.h"

namespace byline {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

struct Response {
  int status = 0;                              // 0: none arrived
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (HEAD: no body); status 0 when none came within
  // `wait`.
  Response read(milliseconds wait = milliseconds(5000), bool head = false) {
    Response r;
    auto end = Clock::now() + wait;
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(end)) return r;
    std::string h = buf_.substr(0, head_end);
    buf_.erase(0, head_end + 4);
    r.status = std::stoi(h.substr(9, 3));
    size_t pos = h.find("\r\n");
    while (pos != std::string::npos) {
      size_t next = h.find("\r\n", pos + 2);
      std::string line = h.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(colon + 2);
      pos = next;
    }
    if (head) return r;
    if (r.headers.count("content-length")) {
      size_t len = std::stoul(r.headers["content-length"]);
      while (buf_.size() < len)
        if (!fill(end)) break;
      r.body = buf_.substr(0, len);
      buf_.erase(0, std::min(len, buf_.size()));
    }
    return r;
  }

  // Reads until `text` arrived; false if it did not within `wait`.
  bool read_until(std::string_view text, milliseconds wait) {
    auto end = Clock::now() + wait;
    while (buf_.find(text) == std::string::npos)
      if (!fill(end)) return false;
    return true;
  }

  // True when the server closed the connection within `wait`.
  bool closed(milliseconds wait) {
    auto end = Clock::now() + wait;
    while (fill(end)) {
    }
    return eof_;
  }

 private:
  bool fill(Clock::time_point end) {
    auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
    if (left <= 0 || eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char b[65536];
    ssize_t n = ::recv(fd_, b, sizeof b, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(b, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buf_;
};

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class DevServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("byline-devserver-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    root_ = tmp_ / "public";
    write_file(root_ / "index.html", "<html><body><p>home</p></body></html>");
    write_file(root_ / "about" / "index.html", "<p>about</p>");
    write_file(root_ / "404.html", "<p>not here</p>");
    page_.assign(12000, 'x');
    for (size_t i = 0; i < page_.size(); i += 100) page_[i] = static_cast<char>('a' + i / 100 % 26);
    write_file(root_ / "page.txt", page_);
    write_file(tmp_ / "outside" / "secret.txt", "SECRET");
    write_file(tmp_ / "outside" / "index.html", "SECRET INDEX");
  }

  void TearDown() override {
    if (running_) {
      server_.stop();
      thread_.join();
    }
    fs::remove_all(tmp_);
  }

  void start(ServeOptions options = {}) {
    options.root = root_;
    options.port = 0;
    std::string error;
    ASSERT_TRUE(server_.listen(options, &error)) << error;
    thread_ = std::thread([this] {
      std::string error;
      server_.run(&error);
    });
    running_ = true;
  }

  Response get(const std::string& target, const std::string& headers = "") {
    Client c(server_.port());
    c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
    return c.read();
  }

  fs::path tmp_, root_;
  std::string page_;
  LiveReload live_;  // outlives the server, which TearDown stops
  DevServer server_;
  std::thread thread_;
  bool running_ = false;
};

TEST_F(DevServerTest, ServesFilesFoldersAndTheNotFoundPage) {
  start();
  Response r = get("/page.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, page_);
  r = get("/about?x=1");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.headers["location"], "/about/?x=1");
  EXPECT_EQ(get("/about/").body, "<p>about</p>");
  r = get("/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "<p>not here</p>");  // no live reload: the page as it is
  EXPECT_EQ(get("/../../etc/passwd").status, 404);
  // A new folder put in the root's place is what is served next.
  fs::rename(root_, tmp_ / "old");
  write_file(root_ / "about" / "index.html", "<p>new</p>");
  EXPECT_EQ(get("/about/").body, "<p>new</p>");
}

// With openat2(RESOLVE_BENEATH), and without it as on older kernels.
class DevServerLinksTest : public DevServerTest, public ::testing::WithParamInterface<bool> {};

TEST_P(DevServerLinksTest, SymlinksLeadingOutsideTheRootAreNotFollowed) {
  fs::create_symlink("/etc/passwd", root_ / "passwd.txt");
  fs::create_symlink(tmp_ / "outside" / "secret.txt", root_ / "secret.txt");
  fs::create_symlink(tmp_ / "outside", root_ / "out");
  fs::create_directories(root_ / "folder");
  fs::create_symlink(tmp_ / "outside" / "index.html", root_ / "folder" / "index.html");
  fs::create_symlink("../../outside/secret.txt", root_ / "about" / "rel.txt");
  fs::create_symlink("page.txt", root_ / "alias.txt");  // inside: served
  fs::create_symlink("../page.txt", root_ / "about" / "up.txt");
  ServeOptions options;
  options.no_openat2 = GetParam();
  start(options);
  for (std::string path :
       {"/passwd.txt", "/secret.txt", "/out/secret.txt", "/out/", "/folder/", "/about/rel.txt"}) {
    Response r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
  Response r = get("/alias.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, page_);
  EXPECT_EQ(get("/about/up.txt").body, page_);
  // A FIFO does not block the server.
  ASSERT_EQ(::mkfifo((root_ / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(get("/fifo").status, 404);
  EXPECT_EQ(get("/about/").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Openat2, DevServerLinksTest, ::testing::Values(false, true));

TEST_F(DevServerTest, ControlBytesInThePathAre400) {
  start();
  for (std::string path : {"/index.html%00.png", "/index.html%00", "/page.txt%0a", "/page%01.txt",
                           "/page.txt%7F", "/page.txt%zz"}) {
    Response r = get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.body.find("home"), std::string::npos) << path;
  }
}

TEST_F(DevServerTest, OneRangeIsServedAndManyGetTheWholeFile) {
  start();
  Response r = get("/page.txt", "Range: bytes=100-199\r\n");
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.headers["content-range"], "bytes 100-199/12000");
  EXPECT_EQ(r.body, page_.substr(100, 100));
  r = get("/page.txt", "Range: bytes=-50\r\n");
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, page_.substr(11950));
  r = get("/page.txt", "Range: bytes=12000-\r\n");
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.headers["content-range"], "bytes */12000");
  // A file too big to read into memory goes by sendfile(), ranges too.
  std::string big(600000, 'b');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('0' + i % 10);
  write_file(root_ / "big.bin", big);
  r = get("/big.bin");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/octet-stream");
  EXPECT_EQ(r.body, big);
  r = get("/big.bin", "Range: bytes=300000-300099\r\n");
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, big.substr(300000, 100));
  // 2,700 ranges in an 8 KB request: the file once, not a 32 MB multipart.
  std::string many = "Range: bytes=";
  for (int i = 0; i < 2700; ++i) many += "0-,";
  many += "0-\r\n";
  Client c(server_.port());
  c.send("GET /page.txt HTTP/1.1\r\nHost: x\r\n" + many + "\r\n");
  r = c.read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-length"], "12000");
  EXPECT_EQ(r.body, page_);
  // Nothing more follows on the connection.
  c.send("GET /about/ HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read().body, "<p>about</p>");
}

TEST_F(DevServerTest, MalformedHeadsAre400) {
  start();
  const std::pair<std::string, int> cases[] = {
      {"GET / HTTP/1.1\r\nHost x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
      {"GET / HTTP/3.0\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\nX: " + std::string(40000, 'a') + "\r\n\r\n", 431},
      {"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405},
  };
  for (const auto& [request, status] : cases) {
    Client c(server_.port());
    c.send(request);
    Response r = c.read();
    EXPECT_EQ(r.status, status) << request.substr(0, 60);
    if (status != 405) {
      EXPECT_TRUE(c.closed(milliseconds(5000))) << request.substr(0, 60);
    }
  }
}

TEST_F(DevServerTest, KeepAlivePipeliningHeadAndRequestBodies) {
  start();
  Client c(server_.port());
  c.send(
      "GET /about/ HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /page.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /about/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "GET /page.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(c.read().body, "<p>about</p>");
  Response head = c.read(milliseconds(5000), true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], "12000");
  EXPECT_EQ(c.read().body, "<p>about</p>");  // the body was dropped, not read as a request
  Response last = c.read();
  EXPECT_EQ(last.body, page_);
  EXPECT_EQ(last.headers["connection"], "close");
  EXPECT_TRUE(c.closed(milliseconds(5000)));
}

TEST_F(DevServerTest, AcceptedSocketsHaveNoDelay) {
  std::mutex mu;
  std::vector<int> nodelay;
  ServeOptions options;
  options.on_accept = [&](int fd) {
    int v = 0;
    socklen_t len = sizeof v;
    ::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    std::lock_guard<std::mutex> lock(mu);
    nodelay.push_back(v);
  };
  start(options);
  EXPECT_EQ(get("/about/").status, 200);
  EXPECT_EQ(get("/about/").status, 200);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(nodelay.size(), 2u);
  EXPECT_NE(nodelay[0], 0);
  EXPECT_NE(nodelay[1], 0);
}

TEST_F(DevServerTest, SlowClientsDoNotStarveOthersAndAreCutOff) {
  ServeOptions options;
  options.limits.header_timeout = milliseconds(1500);
  start(options);
  // More trickling clients than any worker pool the server had.
  std::vector<std::unique_ptr<Client>> slow;
  for (int i = 0; i < 300; ++i) {
    slow.push_back(std::make_unique<Client>(server_.port()));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->send("GET / HTTP/1.1\r\nHo");
  }
  // A request from someone else is answered while they trickle (well
  // before their heads time out).
  Client other(server_.port());
  other.send("GET /about/ HTTP/1.1\r\nHost: x\r\n\r\n");
  Response r = other.read(milliseconds(1000));
  EXPECT_EQ(r.status, 200);
  // Trickling a byte at a time does not keep a head open past its time.
  auto start = Clock::now();
  bool cut_off = false;
  while (Clock::now() - start < std::chrono::seconds(10)) {
    if (!slow[0]->send("x")) break;
    Response timed_out = slow[0]->read(milliseconds(100));
    if (timed_out.status != 0) {
      EXPECT_EQ(timed_out.status, 408);
      cut_off = true;
      break;
    }
  }
  EXPECT_TRUE(cut_off);
  EXPECT_TRUE(slow[0]->closed(milliseconds(5000)));
}

TEST_F(DevServerTest, LiveReloadStreamsAndInjectsTheScript) {
  live_.error("x.md:1:1: error: first\n");
  ServeOptions options;
  options.live = &live_;
  start(options);
  Response page = get("/");
  EXPECT_NE(page.body.find("new EventSource('/__byline/events')"), std::string::npos);
  EXPECT_LT(page.body.find("<p>home</p>"), page.body.find("<script>"));
  EXPECT_NE(get("/nope").body.find("EventSource"), std::string::npos);

  Client stream(server_.port());
  stream.send("GET /__byline/events HTTP/1.1\r\nHost: x\r\n\r\n");
  Response head = stream.read(milliseconds(5000), true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-type"], "text/event-stream");
  EXPECT_TRUE(stream.read_until("x.md:1:1: error: first", milliseconds(5000)));
  live_.reload({"a/index.html"}, false, "");
  EXPECT_TRUE(stream.read_until("\"paths\":[\"a/index.html\"]", milliseconds(5000)));
  // Files are still served beside the open stream.
  EXPECT_EQ(get("/about/").status, 200);
}

}  // namespace
}  // namespace byline
