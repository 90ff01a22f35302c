// include_cached()'s output caches (see template_output_cache.h).
#include "templates/template_output_cache.h"

namespace byline {

OutputCache::Shard& OutputCache::shard_for(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

namespace {

// An exact-size copy of the text: the render buffer has grown by doubling,
// and a whole site's entries stay cached until the end of the build.
CachedOutput exact(CachedOutput out) {
  return {std::string(out.text.data(), out.text.size()), std::move(out.note)};
}

}  // namespace

const CachedOutput* OutputCache::find(const std::string& key) const {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(key);
  return it == shard.entries.end() ? nullptr : it->second.get();
}

size_t OutputCache::ObjectKeyHash::operator()(const ObjectKey& k) const {
  // Three addresses mixed by multiplying with odd constants; the low bits of
  // an address are alignment, so the product's high half is what counts.
  uint64_t h = reinterpret_cast<uintptr_t>(k.self) * 0x9E3779B97F4A7C15ull;
  h ^= reinterpret_cast<uintptr_t>(k.type) * 0xC2B2AE3D27D4EB4Full;
  h ^= reinterpret_cast<uintptr_t>(k.name) * 0x165667B19E3779F9ull;
  return static_cast<size_t>(h ^ (h >> 29));
}

OutputCache::Shard& OutputCache::shard_for(const ObjectKey& key) const {
  return shards_[(ObjectKeyHash{}(key) >> 40) % kShards];
}

const std::string* OutputCache::intern_name(std::string_view name) {
  std::lock_guard lock(names_mu_);
  auto it = names_.find(name);
  if (it == names_.end()) it = names_.emplace(name).first;
  return &*it;
}

const CachedOutput* OutputCache::find(const ObjectKey& key) const {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.objects.find(key);
  return it == shard.objects.end() ? nullptr : &it->second;
}

OutputCache::DenseOutputs::DenseOutputs(const std::string* name, const void* type, size_t count)
    : name_(name), type_(type), count_(count), slots_(new std::atomic<const CachedOutput*>[count]) {
  for (size_t i = 0; i < count; ++i) slots_[i].store(nullptr, std::memory_order_relaxed);
}

OutputCache::DenseOutputs::~DenseOutputs() {
  for (size_t i = 0; i < count_; ++i) delete slots_[i].load(std::memory_order_relaxed);
}

const CachedOutput* OutputCache::DenseOutputs::store(size_t index, CachedOutput out) {
  auto* mine = new CachedOutput(exact(std::move(out)));
  const CachedOutput* expected = nullptr;
  // Two threads may render the same entry at once; the first one stays.
  if (slots_[index].compare_exchange_strong(expected, mine, std::memory_order_acq_rel)) return mine;
  delete mine;
  return expected;
}

OutputCache::DenseOutputs* OutputCache::dense_outputs(const std::string* name, const void* type,
                                                      size_t count) {
  std::lock_guard lock(dense_mu_);
  for (const auto& d : dense_) {
    if (d->matches(name, type, count)) return d.get();
  }
  return dense_.emplace_back(std::make_unique<DenseOutputs>(name, type, count)).get();
}

const CachedOutput* OutputCache::store(const ObjectKey& key, CachedOutput out) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mu);
  // Two threads may render the same entry at once; the first one stays.
  auto [it, added] = shard.objects.try_emplace(key);
  if (added) it->second = exact(std::move(out));
  return &it->second;
}

const CachedOutput* OutputCache::store(const std::string& key, CachedOutput out) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mu);
  // Two threads may render the same entry at once; the first one stays.
  auto [it, added] = shard.entries.emplace(key, nullptr);
  if (added) it->second = std::make_unique<const CachedOutput>(exact(std::move(out)));
  return it->second.get();
}

void OutputCache::clear() {
  for (Shard& shard : shards_) {
    std::lock_guard shard_lock(shard.mu);
    shard.entries.clear();
    shard.objects.clear();
  }
  std::lock_guard dense_lock(dense_mu_);
  dense_.clear();
}

}  // namespace byline
