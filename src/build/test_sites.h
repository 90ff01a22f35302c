// For the tests of whole builds (build_test.cc, incremental_test.cc): a
// fixture site copied where a test can edit it.
#pragma once

#include <filesystem>
#include <string_view>

namespace byline {

// Copies the site folder `from` to `to`, less the hidden entries: other
// tests build the fixtures in place, and the incremental build's state
// (.byline/) that they write and prune may change while it is copied.
inline void copy_fixture_site(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    fs::path target = to / fs::relative(it->path(), from);
    if (it->is_directory())
      fs::create_directories(target);
    else
      fs::copy(it->path(), target, fs::copy_options::overwrite_existing);
  }
}

}  // namespace byline
