// A whole file as one read-only string_view: mapped when it can be (its pages
// then belong to the kernel's page cache, not the process: a 10 MB export,
// a build's saved state), read otherwise (pipes).
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
