#include "import/wxr_terms.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

WxrItem item_with(std::vector<WxrItemTerm> terms) {
  WxrItem item;
  item.post_type = "post";
  item.terms = std::move(terms);
  return item;
}

// The pelican project's export: the channel's term list says categ-1 and
// tag2, items carry older nicenames ("category-1", "Category 1", "tag-2").
TEST(WxrTermsTest, StaleItemNicenamesTakeTheListedTermsSlug) {
  WxrChannel c;
  c.terms = {{"category", "categ-1", "Category 1", "", ""}, {"post_tag", "tag2", "Tag2", "", ""}};
  c.items.push_back(item_with({{"category", "category-1", "Category 1"},
                               {"category", "Category 1", "Category 1"},
                               {"post_tag", "tag-2", "Tag2"},
                               {"category", "category-4", "Category 4"},
                               {"post_tag", "tag2", "Tag2"}}));
  normalize_wxr_terms(&c);
  const auto& t = c.items[0].terms;
  EXPECT_EQ(t[0].slug, "categ-1");
  EXPECT_EQ(t[1].slug, "categ-1");
  EXPECT_EQ(t[2].slug, "tag2");
  EXPECT_EQ(t[3].slug, "category-4");  // not in the list: its own nicename
  EXPECT_EQ(t[4].slug, "tag2");
}

// The theme unit test export: items file posts under the tag "content",
// the list has the term as content-2. The stale nicename is returned, once,
// to keep as a redirect; one that names two terms, or that a term only
// items name keeps as its own slug, is not.
TEST(WxrTermsTest, StaleNicenamesAreReturnedForRedirects) {
  WxrChannel c;
  c.terms = {{"post_tag", "content-2", "content περιεχόμενο", "", ""},
             {"post_tag", "alpha", "Alpha", "", ""},
             {"post_tag", "beta", "Beta", "", ""},
             {"category", "categ-1", "Category 1", "", ""}};
  c.items.push_back(item_with({{"post_tag", "content", "content περιεχόμενο"},
                               {"post_tag", "old", "Alpha"},
                               {"category", "Category 1", "Category 1"}}));
  c.items.push_back(item_with({{"post_tag", "content", "content περιεχόμενο"},
                               {"post_tag", "old", "Beta"},
                               {"post_tag", "gamma-old", "Gamma"}}));
  c.items.push_back(item_with({{"post_tag", "kept", "Unlisted"}, {"post_tag", "kept", "Alpha"}}));
  std::vector<StaleTermSlug> stale = normalize_wxr_terms(&c);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(stale[0].taxonomy, "category");
  EXPECT_EQ(stale[0].stale, "category-1");
  EXPECT_EQ(stale[0].slug, "categ-1");
  EXPECT_EQ(stale[1].taxonomy, "post_tag");
  EXPECT_EQ(stale[1].stale, "content");
  EXPECT_EQ(stale[1].slug, "content-2");
  EXPECT_EQ(stale[1].name, "content περιεχόμενο");
  // "old" named Alpha and Beta; "kept" is Unlisted's own slug; Gamma is in
  // no list: none of them is an alias.
  EXPECT_EQ(c.items[0].terms[1].slug, "alpha");
  EXPECT_EQ(c.items[1].terms[1].slug, "beta");
  EXPECT_EQ(c.items[1].terms[2].slug, "gamma-old");
  EXPECT_EQ(c.items[2].terms[0].slug, "kept");
  EXPECT_EQ(c.items[2].terms[1].slug, "alpha");
}

TEST(WxrTermsTest, SlugsFollowSanitizeTitleAndAmbiguousNamesAreLeft) {
  WxrChannel c;
  c.terms = {{"category", "Company News", "Company News", "", ""},
             {"category", "foo", "Foo", "", ""},
             {"category", "foo-bar", "Foo", "bar", ""}};
  c.items.push_back(
      item_with({{"category", "Company News", "Company News"}, {"category", "foo-old", "Foo"}}));
  normalize_wxr_terms(&c);
  EXPECT_EQ(c.terms[0].slug, "company-news");
  EXPECT_EQ(c.items[0].terms[0].slug, "company-news");
  // Two terms are called Foo: a stale nicename cannot tell which.
  EXPECT_EQ(c.items[0].terms[1].slug, "foo-old");
}

// phptk's small export: "Foo" at the top and "Foo" under "Bar".
TEST(WxrTermsTest, SameNameUnderAnotherParentGetsTheParentsName) {
  WxrChannel c;
  c.terms = {{"category", "bar", "Bar", "", ""},
             {"category", "foo", "Foo", "", ""},
             {"category", "foo-bar", "Foo", "bar", ""},
             {"post_tag", "foo", "Foo", "", ""}};
  c.items.push_back(item_with({{"category", "foo-bar", "Foo"}, {"category", "foo", "Foo"}}));
  normalize_wxr_terms(&c);
  std::vector<TermRename> renames = disambiguate_wxr_term_names(&c);
  ASSERT_EQ(renames.size(), 1u);
  EXPECT_EQ(renames[0].slug, "foo-bar");
  EXPECT_EQ(renames[0].to, "Foo (Bar)");
  EXPECT_EQ(c.terms[1].name, "Foo");
  EXPECT_EQ(c.terms[2].name, "Foo (Bar)");
  EXPECT_EQ(c.terms[3].name, "Foo");  // a tag is another taxonomy
  EXPECT_EQ(c.items[0].terms[0].name, "Foo (Bar)");
  EXPECT_EQ(c.items[0].terms[1].name, "Foo");
}

TEST(WxrTermsTest, NamesBylineWouldMergeAreToldApartBySlug) {
  WxrChannel c;
  // byline keys terms by slugify(name): "C++" and "C" are one key.
  c.terms = {{"post_tag", "c", "C", "", ""}, {"post_tag", "c-2", "C++", "", ""}};
  c.items.push_back(item_with({{"post_tag", "new-one", "c"}}));
  std::vector<TermRename> renames = disambiguate_wxr_term_names(&c);
  ASSERT_EQ(renames.size(), 2u);
  EXPECT_EQ(c.terms[1].name, "C++ (c-2)");
  EXPECT_EQ(c.items[0].terms[0].name, "c (new-one)");
}

}  // namespace
}  // namespace byline
