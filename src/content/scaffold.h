// `byline new`: a ready-to-build site, and new posts with their front matter
// filled in. These write the site's input, never its output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/datetime.h"
#include "base/diagnostic.h"
#include "config/config.h"

namespace byline {

// Creates DIR with byline.toml, content/ holding an example post and an
// About page, static/, and a .gitignore leaving out public/ and .byline/. Refuses a DIR that exists
// and is not empty.
bool create_site(const std::filesystem::path& dir, DiagnosticSink& sink);

struct NewPost {
  std::string title;
  std::vector<std::string> tags;
  std::string outlet;
  std::string original_url;
  std::string slug;  // empty: slugify(title), and no `slug` field
  std::string section = "posts";
  bool draft = true;  // a new post is a draft until `--publish`
  DateTime date = now_utc();
};

// Writes SITE/content/SECTION/YYYY/slug.md, from the section's archetype
// when the site or its theme has one (content/archetype.h); refuses to
// overwrite. On success `written` is the new file's path.
bool create_post(const std::filesystem::path& site, const NewPost& post,
                 std::filesystem::path* written, DiagnosticSink& sink);

// The machine's local UTC offset at time t, in minutes.
int local_offset_minutes(int64_t utc_seconds);

}  // namespace byline
