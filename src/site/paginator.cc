// Pagination arithmetic, in one place so every list splits the same way.
#include "site/paginator.h"

#include <algorithm>

namespace byline {

Paginator::Paginator(std::span<const Page* const> all, int per_page, std::string base, int number)
    : all_(all),
      total_(all.size()),
      per_page_(std::max(1, per_page)),
      base_(std::move(base)),
      number_(number) {
  total_pages_ = std::max<int>(1, static_cast<int>((total_ + per_page_ - 1) / per_page_));
}

Paginator::Paginator(std::span<const Appearance* const> all, int per_page, std::string base,
                     int number)
    : appearances_(all),
      of_appearances_(true),
      total_(all.size()),
      per_page_(std::max(1, per_page)),
      base_(std::move(base)),
      number_(number) {
  total_pages_ = std::max<int>(1, static_cast<int>((total_ + per_page_ - 1) / per_page_));
}

std::pair<size_t, size_t> Paginator::range() const {
  size_t start = static_cast<size_t>(number_ - 1) * static_cast<size_t>(per_page_);
  if (start >= total_) return {0, 0};
  return {start, start + std::min(total_ - start, static_cast<size_t>(per_page_))};
}

std::span<const Page* const> Paginator::items() const {
  if (of_appearances_) return {};
  auto [first, end] = range();
  return all_.subspan(first, end - first);
}

std::span<const Appearance* const> Paginator::appearance_items() const {
  if (!of_appearances_) return {};
  auto [first, end] = range();
  return appearances_.subspan(first, end - first);
}

std::string Paginator::url_of(int n) const {
  if (n <= 1) return base_;
  return base_ + "page/" + std::to_string(n) + "/";
}

std::string Paginator::output_path_of(int n) const { return url_of(n).substr(1) + "index.html"; }

}  // namespace byline
