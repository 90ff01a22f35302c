// The output caches on their own: the first output stored for a key stays
// (its text and its note), the key's two forms do not mix, and clear()
// keeps the interned names.
#include "templates/template_output_cache.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

CachedOutput text(const char* s) { return {s, nullptr}; }

TEST(TemplateOutputCache, StringKeysKeepTheFirstOutput) {
  OutputCache cache;
  EXPECT_EQ(cache.find(std::string("k")), nullptr);
  auto note = std::make_shared<int>(7);
  const CachedOutput* first = cache.store(std::string("k"), {"one", note});
  EXPECT_EQ(first->text, "one");
  EXPECT_EQ(first->note, note);
  EXPECT_EQ(cache.store(std::string("k"), text("two")), first);
  EXPECT_EQ(cache.find(std::string("k")), first);
  EXPECT_EQ(cache.find(std::string("k"))->note, note);
}

TEST(TemplateOutputCache, ObjectKeysUseIdentity) {
  OutputCache cache;
  const std::string* name = cache.intern_name("card.html");
  EXPECT_EQ(cache.intern_name("card.html"), name);
  int a = 0, b = 0;
  const OutputCache::ObjectKey ka{name, &cache, &a}, kb{name, &cache, &b};
  EXPECT_EQ(cache.store(ka, text("a"))->text, "a");
  EXPECT_EQ(cache.find(kb), nullptr);
  EXPECT_EQ(cache.store(ka, text("again"))->text, "a");
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
  auto note = std::make_shared<int>(1);
  EXPECT_EQ(d->store(2, {"x", note})->text, "x");
  EXPECT_EQ(d->store(2, text("y"))->text, "x");
  EXPECT_EQ(d->find(2)->note, note);
}

TEST(TemplateOutputCache, ClearForgetsOutputsButNotNames) {
  OutputCache cache;
  const std::string* name = cache.intern_name("card.html");
  int a = 0;
  cache.store(std::string("k"), text("one"));
  cache.store(OutputCache::ObjectKey{name, &cache, &a}, text("a"));
  cache.clear();
  EXPECT_EQ(cache.find(std::string("k")), nullptr);
  EXPECT_EQ(cache.find(OutputCache::ObjectKey{name, &cache, &a}), nullptr);
  EXPECT_EQ(cache.intern_name("card.html"), name);
}

}  // namespace
}  // namespace byline
