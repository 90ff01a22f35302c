// Scaffolding for `byline new site` and `byline new post`.
#include "content/scaffold.h"

#include <algorithm>
#include <ctime>
#include <fstream>

#include "base/files.h"
#include "base/strings.h"
#include "content/archetype.h"
#include "frontmatter/front_matter_writer.h"

namespace byline {

namespace fs = std::filesystem;

int local_offset_minutes(int64_t utc_seconds) {
  std::time_t t = static_cast<std::time_t>(utc_seconds);
  std::tm local{};
  if (!localtime_r(&t, &local)) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

namespace {

bool write_new(const fs::path& path, const std::string& text, DiagnosticSink& sink) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    sink.error({path.string(), 0, 0}, "cannot write file");
    return false;
  }
  return true;
}

}  // namespace

bool create_site(const fs::path& dir, DiagnosticSink& sink) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    sink.error({dir.string(), 0, 0}, "already exists and is not an empty folder");
    return false;
  }
  DateTime now = now_utc();
  now.offset_minutes = local_offset_minutes(now.utc_seconds);
  DateTime::Parts p = now.local();
  std::string year = std::to_string(p.year);
  bool ok = write_new(dir / "byline.toml",
                      "# Site configuration: see `byline help` and the README's reference.\n"
                      "title = \"My Archive\"\n"
                      "base_url = \"https://example.org/\"\n"
                      "language = \"en\"\n"
                      "paginate = 10\n"
                      "summary_length = 70\n"
                      "# WordPress-style /2019/ and /2019/08/ archives.\n"
                      "date_archives = true\n\n"
                      "[feeds]\n"
                      "rss = \"rss.xml\"\n"
                      "atom = \"atom.xml\"\n\n"
                      "[author]\n"
                      "name = \"Your Name\"\n"
                      "bio = \"Writes about the world for whoever will publish it.\"\n\n"
                      "[permalinks]\n"
                      "posts = \"/:year/:month/:slug/\"\n\n"
                      "[taxonomies]\n"
                      "tags = \"/tag/:slug/\"\n"
                      "categories = \"/category/:slug/\"\n\n"
                      "[markdown]\n"
                      "smart_punctuation = true\n"
                      "footnotes = true\n",
                      sink);
  ok = ok && write_new(dir / "content" / "_index.md",
                       "---\ntitle: \"My Archive\"\n---\n\nWriting and commentary, collected "
                       "from wherever it first appeared.\n",
                       sink);
  ok = ok && write_new(dir / "content" / "about.md",
                       "---\ntitle: \"About\"\n---\n\nA few words about the writer.\n", sink);
  ok = ok && write_new(dir / "content" / "posts" / year / "welcome.md",
                       "---\ntitle: \"Welcome to the archive\"\ndate: " + to_rfc3339(now) +
                           "\ntags: [\"Notes\"]\ncategories: [\"Notes\"]\n---\n\n"
                           "This is the first post. Write in Markdown: *emphasis*, "
                           "[links](https://example.org/), \"quotes\" that become curly, and "
                           "footnotes.[^1]\n\n[^1]: Like this one.\n",
                       sink);
  // The built site and the incremental build's state are made, not
  // written: neither belongs in the site's history.
  ok = ok && write_new(dir / ".gitignore", "/public/\n/.byline/\n", sink);
  fs::create_directories(dir / "static", ec);
  return ok;
}

namespace {

// A slug or section given on the command line names one folder or file.
bool check_segment(std::string_view what, const std::string& value, DiagnosticSink& sink) {
  if (value.empty() || value.find('/') != std::string::npos || value.front() == '.') {
    sink.error({}, std::string(what) + " '" + value +
                       "' must be one path segment (no '/', not starting with '.')");
    return false;
  }
  return true;
}

// The front matter byline writes when there is no archetype.
std::string default_post(const NewPost& post, const std::string& date) {
  FrontMatterWriter fm;
  fm.string("title", post.title);
  fm.string("date", date);
  fm.boolean("draft", post.draft);
  if (!post.slug.empty()) fm.string("slug", post.slug);
  fm.string_list("tags", post.tags);
  fm.string_list("categories", {});
  if (!post.outlet.empty()) fm.string("outlet", post.outlet);
  if (!post.original_url.empty()) fm.string("original_url", post.original_url);
  return fm.finish() + "\nWrite the post here.\n";
}

// The new file's text from the archetype at `path`; a flag given on the
// command line that the archetype has no placeholder for is a warning, so
// it is not lost without a word.
bool from_archetype(const fs::path& path, const NewPost& post, const std::string& date,
                    std::string* text, DiagnosticSink& sink) {
  std::string display = path.lexically_normal().string();
  std::string archetype, error;
  if (!read_file(path, &archetype, &error)) {
    sink.error({display, 0, 0}, "cannot read the archetype: " + error);
    return false;
  }
  ArchetypeValues values;
  values.strings = {{"title", post.title},
                    {"slug", post.slug.empty() ? slugify(post.title) : post.slug},
                    {"section", post.section},
                    {"outlet", post.outlet},
                    {"original_url", post.original_url}};
  values.date = date;
  values.draft = post.draft;
  values.tags = post.tags;
  std::vector<std::string> used;
  if (!fill_archetype(display, archetype, values, text, &used, sink)) return false;
  auto unused = [&](const char* name, bool given, const char* flag) {
    if (given && std::find(used.begin(), used.end(), name) == used.end()) {
      sink.warning({display, 0, 0}, std::string("has no {{ ") + name + " }}, so " + flag +
                                        " is not in the new file");
    }
  };
  unused("title", true, "the title");
  unused("draft", true, "its draft state (--draft/--publish)");
  unused("slug", !post.slug.empty(), "--slug");
  unused("tags", !post.tags.empty(), "--tags");
  unused("outlet", !post.outlet.empty(), "--outlet");
  unused("original_url", !post.original_url.empty(), "--original-url");
  return true;
}

}  // namespace

bool create_post(const fs::path& site, const NewPost& post, fs::path* written,
                 DiagnosticSink& sink) {
  SiteConfig config;
  if (!load_config(site, &config, sink)) return false;
  if (!check_segment("the section", post.section, sink)) return false;
  if (!post.slug.empty() && !check_segment("the slug", post.slug, sink)) return false;
  std::string slug = slugify(post.slug.empty() ? post.title : post.slug);
  if (slug.empty()) {
    sink.error({}, "the title '" + post.title + "' gives an empty slug; use letters or digits");
    return false;
  }
  DateTime date = post.date;
  if (!date.has_offset) date.offset_minutes = local_offset_minutes(date.utc_seconds);
  std::string year = std::to_string(date.local().year);
  fs::path path = site / "content" / post.section / year / (slug + ".md");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    sink.error({path.lexically_normal().string(), 0, 0},
               "already exists; refusing to overwrite it (choose another title or --slug)");
    return false;
  }
  std::string text;
  if (std::optional<fs::path> archetype = find_archetype(site, config, post.section)) {
    if (!from_archetype(*archetype, post, to_rfc3339(date), &text, sink)) return false;
  } else {
    text = default_post(post, to_rfc3339(date));
  }
  if (!write_new(path, text, sink)) return false;
  *written = path;
  return true;
}

}  // namespace byline
