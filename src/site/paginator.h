// Splitting a list of pages into numbered pages: /tag/x/, /tag/x/page/2/, …
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "content/page.h"

namespace byline {

class Paginator {
 public:
  // `base` is the list's site-relative URL ("/tag/russia/"); per_page >= 1.
  Paginator(std::span<const Page* const> all, int per_page, std::string base, int number = 1);
  // The appearances timeline pages appearances instead of pages.
  Paginator(std::span<const Appearance* const> all, int per_page, std::string base, int number = 1);

  int number() const { return number_; }
  int total_pages() const { return total_pages_; }
  int per_page() const { return per_page_; }
  size_t total_items() const { return total_; }
  bool of_appearances() const { return of_appearances_; }
  std::span<const Page* const> items() const;
  std::span<const Appearance* const> appearance_items() const;
  bool has_prev() const { return number_ > 1; }
  bool has_next() const { return number_ < total_pages_; }
  const std::string& base() const { return base_; }
  // Site-relative URL of page n (1-based): base for 1, base + "page/n/".
  std::string url_of(int n) const;
  // Output file of page n: "tag/russia/page/2/index.html".
  std::string output_path_of(int n) const;
  Paginator at(int n) const {
    Paginator p = *this;
    p.number_ = n;
    return p;
  }

 private:
  std::pair<size_t, size_t> range() const;  // [first, end) of page number_

  std::span<const Page* const> all_;
  std::span<const Appearance* const> appearances_;
  bool of_appearances_ = false;
  size_t total_;
  int per_page_;
  std::string base_;
  int number_;
  int total_pages_;
};

}  // namespace byline
