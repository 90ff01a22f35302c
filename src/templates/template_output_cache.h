// include_cached()'s outputs: a template rendered once per key, and the same
// text every later time (Hugo's partialCached), shared by all threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace byline {

// One cached output: its text, and what the host noted while it was
// rendered (RenderObserver::end_cached), to be handed back on every reuse.
struct CachedOutput {
  std::string text;
  std::shared_ptr<const void> note;
};

// Keys are host objects (by identity) or scalars (by value). Thread-safe;
// kept until clear(). An entry stored twice keeps the first.
class OutputCache {
 public:
  // Keyed by a string made of the template name and the keys.
  const CachedOutput* find(const std::string& key) const;
  const CachedOutput* store(const std::string& key, CachedOutput out);
  // The usual call, include_cached(name, object): keyed by the name's
  // interned copy (intern_name) and the object's identity, so a lookup
  // builds and hashes no string. The same entries as the string keys'
  // would be: one key has exactly one form.
  struct ObjectKey {
    const std::string* name;
    const void* type;
    const void* self;
    bool operator==(const ObjectKey&) const = default;
  };
  const std::string* intern_name(std::string_view name);
  const CachedOutput* find(const ObjectKey& key) const;
  const CachedOutput* store(const ObjectKey& key, CachedOutput out);
  // The same entries again, for objects whose type numbers them
  // (ObjectType::dense_index): one array slot per object for each template
  // name and type, so a lookup is a load, not a walk through a hash bucket
  // in memory no other lookup has touched (at 100,000 posts the hash table
  // lookups were 3% of the render).
  class DenseOutputs {
   public:
    DenseOutputs(const std::string* name, const void* type, size_t count);
    ~DenseOutputs();
    bool matches(const std::string* name, const void* type, size_t count) const {
      return name_ == name && type_ == type && count_ == count;
    }
    const CachedOutput* find(size_t index) const {
      return slots_[index].load(std::memory_order_acquire);
    }
    // The first output stored at `index` stays; returns it.
    const CachedOutput* store(size_t index, CachedOutput out);

   private:
    const std::string* name_;
    const void* type_;
    size_t count_;
    std::unique_ptr<std::atomic<const CachedOutput*>[]> slots_;
  };
  DenseOutputs* dense_outputs(const std::string* name, const void* type, size_t count);

  // Forgets every output (the interned names stay).
  void clear();

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct ObjectKeyHash {
    size_t operator()(const ObjectKey& k) const;
  };
  // In shards with a lock each: every list page looks up ten entries, and
  // one lock shared by all threads moved its cache line between cores on
  // each lookup.
  struct alignas(64) Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::unique_ptr<const CachedOutput>> entries;
    std::unordered_map<ObjectKey, CachedOutput, ObjectKeyHash> objects;
  };
  static constexpr size_t kShards = 32;
  Shard& shard_for(const std::string& key) const;
  Shard& shard_for(const ObjectKey& key) const;
  mutable std::array<Shard, kShards> shards_;
  std::mutex dense_mu_;
  std::vector<std::unique_ptr<DenseOutputs>> dense_;
  // intern_name()'s copies: a set's elements never move.
  std::mutex names_mu_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> names_;
};

}  // namespace byline
