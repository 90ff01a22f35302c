// Live reload's parts that need no socket: where the script goes, and the
// events a page receives.
#include "serve/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

namespace byline {
namespace {

using std::chrono::milliseconds;

TEST(InjectLiveReload, BeforeTheLastBodyEndOrAtTheEnd) {
  std::string html = "<html><body><p>x</p><!-- </body> --></body></html>";
  inject_live_reload(&html);
  size_t script = html.find("<script>");
  ASSERT_NE(script, std::string::npos);
  EXPECT_EQ(html.substr(script + std::string(kLiveReloadScript).size()), "</body></html>");
  EXPECT_LT(html.find("<!-- </body> -->"), script);
  std::string bare = "<p>no body</p>";
  inject_live_reload(&bare);
  EXPECT_EQ(bare, std::string("<p>no body</p>") + kLiveReloadScript);
}

TEST(LiveReload, AStreamGetsWhatComesAfterItOpened) {
  LiveReload live;
  live.reload({"old/index.html"}, false, "");
  uint64_t seq = UINT64_MAX;  // a new stream
  std::string event;
  ASSERT_TRUE(live.next(&seq, &event, milliseconds(10)));
  EXPECT_EQ(event, "");  // nothing since it opened: the wait timed out
  live.reload({"a/index.html", "css/site.css"}, false, "/a/");
  ASSERT_TRUE(live.next(&seq, &event, milliseconds(1000)));
  auto e = nlohmann::json::parse(event);
  EXPECT_EQ(e["type"], "reload");
  EXPECT_EQ(e["all"], false);
  EXPECT_EQ(e["paths"], nlohmann::json::array({"a/index.html", "css/site.css"}));
  EXPECT_EQ(e["navigate"], "/a/");
}

TEST(LiveReload, AnErrorIsShownToPagesOpenedUntilTheNextReload) {
  LiveReload live;
  live.error("x.md:3:5: error: bad\n");
  uint64_t seq = UINT64_MAX;
  std::string event;
  ASSERT_TRUE(live.next(&seq, &event, milliseconds(10)));
  auto e = nlohmann::json::parse(event);
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["text"], "x.md:3:5: error: bad\n");
  live.reload({}, false, "");
  ASSERT_TRUE(live.next(&seq, &event, milliseconds(1000)));
  EXPECT_EQ(nlohmann::json::parse(event)["type"], "reload");
  uint64_t later = UINT64_MAX;
  ASSERT_TRUE(live.next(&later, &event, milliseconds(10)));
  EXPECT_EQ(event, "");
}

TEST(LiveReload, StopEndsEveryStream) {
  LiveReload live;
  uint64_t seq = UINT64_MAX;
  std::string event;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    live.stop();
  });
  EXPECT_FALSE(live.next(&seq, &event, milliseconds(5000)));
  stopper.join();
}

}  // namespace
}  // namespace byline
