// A whole file as one read-only string_view: mapped when it can be (the pages
// then belong to the page cache, not the importer), read otherwise (pipes).
#pragma once

#include <string>
#include <string_view>

namespace byline {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // Returns false when the file cannot be opened or read.
  bool open(const std::string& path);
  std::string_view text() const;

 private:
  void* map_ = nullptr;
  size_t size_ = 0;
  std::string copy_;
};

}  // namespace byline
