// The output caches on their own: the first text stored for a key stays,
// the key's two forms do not mix, and clear() keeps the interned names.
#include "templates/template_output_cache.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(TemplateOutputCache, StringKeysKeepTheFirstText) {
  OutputCache cache;
  EXPECT_EQ(cache.find(std::string("k")), nullptr);
  const std::string* first = cache.store(std::string("k"), "one");
  EXPECT_EQ(*first, "one");
  EXPECT_EQ(cache.store(std::string("k"), "two"), first);
  EXPECT_EQ(cache.find(std::string("k")), first);
}

TEST(TemplateOutputCache, ObjectKeysUseIdentity) {
  OutputCache cache;
  const std::string* name = cache.intern_name("card.html");
  EXPECT_EQ(cache.intern_name("card.html"), name);
  int a = 0, b = 0;
  const OutputCache::ObjectKey ka{name, &cache, &a}, kb{name, &cache, &b};
  EXPECT_EQ(*cache.store(ka, "a"), "a");
  EXPECT_EQ(cache.find(kb), nullptr);
  EXPECT_EQ(*cache.store(ka, "again"), "a");
  EXPECT_EQ(cache.find(std::string("card.html")), nullptr);
}

TEST(TemplateOutputCache, DenseOutputsAreOneTablePerNameTypeAndCount) {
  OutputCache cache;
  const std::string* name = cache.intern_name("card.html");
  int type = 0;
  OutputCache::DenseOutputs* d = cache.dense_outputs(name, &type, 3);
  EXPECT_EQ(cache.dense_outputs(name, &type, 3), d);
  EXPECT_NE(cache.dense_outputs(name, &type, 4), d);
  EXPECT_EQ(d->find(2), nullptr);
  EXPECT_EQ(*d->store(2, "x"), "x");
  EXPECT_EQ(*d->store(2, "y"), "x");
}

TEST(TemplateOutputCache, ClearForgetsOutputsButNotNames) {
  OutputCache cache;
  const std::string* name = cache.intern_name("card.html");
  int a = 0;
  cache.store(std::string("k"), "one");
  cache.store(OutputCache::ObjectKey{name, &cache, &a}, "a");
  cache.clear();
  EXPECT_EQ(cache.find(std::string("k")), nullptr);
  EXPECT_EQ(cache.find(OutputCache::ObjectKey{name, &cache, &a}), nullptr);
  EXPECT_EQ(cache.intern_name("card.html"), name);
}

}  // namespace
}  // namespace byline
