#include "check/missing_uploads.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

MissingUploads listed() {
  MissingUploads m;
  m.parse(
      "url,path\n"
      "https://old.example/wp-content/uploads/2020/01/a.jpg,static/wp-content/uploads/2020/01/"
      "a.jpg\n"
      "\"https://old.example/wp-content/uploads/b,c.png\",\"static/wp-content/uploads/b,c.png\"\n");
  return m;
}

TEST(MissingUploads, ReadsAttachmentsCsv) {
  MissingUploads m = listed();
  EXPECT_TRUE(m.has_path("/wp-content/uploads/2020/01/a.jpg"));
  EXPECT_TRUE(m.has_path("/wp-content/uploads/b,c.png?x=1"));
  EXPECT_FALSE(m.has_path("/images/a.jpg"));
  EXPECT_EQ(m.path_of_url("https://old.example/wp-content/uploads/2020/01/a.jpg"),
            "/wp-content/uploads/2020/01/a.jpg");
  EXPECT_EQ(m.path_of_url("https://old.example/other.jpg"), "");
}

TEST(MissingUploads, TheImageABuildWarningNames) {
  EXPECT_EQ(missing_image_of("image '/a b.jpg' not found (looked for x and y)"), "/a b.jpg");
  EXPECT_EQ(missing_image_of("featured image '/c.jpg' not found (looked for x)"), "/c.jpg");
  EXPECT_EQ(missing_image_of("image '/d.jpg' (x) cannot be processed: bad"), "");
  EXPECT_EQ(missing_image_of("unknown key"), "");
}

void build_warnings(DiagnosticSink& s) {
  s.warning({"site/content/posts/x.md", 3, 1},
            "image '/wp-content/uploads/2020/01/a.jpg' not found (looked for a and b)");
  s.warning({"site/content/posts/y.md", 7, 5},
            "image '/wp-content/uploads/2020/01/a.jpg' not found (looked for a and b)");
  s.warning({"site/content/posts/y.md", 9, 1},
            "featured image '/wp-content/uploads/b,c.png' not found (looked for a)");
  s.warning({"site/content/posts/z.md", 2, 1}, "image '/images/own.png' not found (looked for a)");
  s.error({"site/content/posts/z.md", 4, 1}, "image '/wp-content/uploads/2020/01/a.jpg' not found");
}

TEST(MissingUploads, FoldsTheListedOnesIntoOneWarning) {
  DiagnosticSink from, to;
  build_warnings(from);
  EXPECT_EQ(fold_missing_upload_warnings(from, listed(), "site/attachments.csv", false, &to), 3u);
  std::vector<const Diagnostic*> kept = to.sorted();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0]->location.path, "site/attachments.csv");
  EXPECT_EQ(kept[0]->severity, Severity::kWarning);
  EXPECT_EQ(kept[0]->message.substr(0, 164),
            "2 images the pages show (3 places: /wp-content/uploads/2020/01/a.jpg at "
            "site/content/posts/x.md:3:1, /wp-content/uploads/b,c.png at "
            "site/content/posts/y.md:9:1) are");
  EXPECT_NE(kept[0]->message.find("--uploads DIR"), std::string::npos);
  EXPECT_NE(kept[0]->message.find("--verbose"), std::string::npos);
  // The writer's own missing image stays where it is; an error is never
  // folded.
  EXPECT_EQ(kept[1]->location.path, "site/content/posts/z.md");
  EXPECT_EQ(kept[1]->location.line, 2);
  EXPECT_EQ(kept[2]->severity, Severity::kError);
  EXPECT_TRUE(to.has_errors());
}

TEST(MissingUploads, VerboseKeepsEveryPlaceAndNoSummaryWhenTheCheckSaysIt) {
  DiagnosticSink from, verbose, quiet;
  build_warnings(from);
  fold_missing_upload_warnings(from, listed(), "site/attachments.csv", true, &verbose);
  EXPECT_EQ(verbose.sorted().size(), 6u);  // 5 passed on, and the summary
  EXPECT_EQ(fold_missing_upload_warnings(from, listed(), "", false, &quiet), 3u);
  EXPECT_EQ(quiet.sorted().size(), 2u);
}

TEST(MissingUploads, NothingListedPassesEverything) {
  DiagnosticSink from, to;
  build_warnings(from);
  EXPECT_EQ(
      fold_missing_upload_warnings(from, MissingUploads(), "site/attachments.csv", false, &to), 0u);
  EXPECT_EQ(to.sorted().size(), from.sorted().size());
}

}  // namespace
}  // namespace byline
