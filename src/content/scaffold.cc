// Scaffolding for `byline new site` and `byline new post`.
#include "content/scaffold.h"

#include <ctime>
#include <fstream>

#include "base/strings.h"
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

bool create_post(const fs::path& site, const NewPost& post, fs::path* written,
                 DiagnosticSink& sink) {
  std::error_code ec;
  if (!fs::exists(site / "byline.toml", ec)) {
    sink.error({(site / "byline.toml").lexically_normal().string(), 0, 0},
               "no byline.toml here: not a byline site (use -s SITE, or `byline new site DIR`)");
    return false;
  }
  std::string slug = slugify(post.title);
  if (slug.empty()) {
    sink.error({}, "the title '" + post.title + "' gives an empty slug; use letters or digits");
    return false;
  }
  DateTime date = post.date;
  if (!date.has_offset) date.offset_minutes = local_offset_minutes(date.utc_seconds);
  std::string year = std::to_string(date.local().year);
  fs::path path = site / "content" / "posts" / year / (slug + ".md");
  if (fs::exists(path, ec)) {
    sink.error({path.lexically_normal().string(), 0, 0},
               "already exists; refusing to overwrite it (choose another title)");
    return false;
  }
  FrontMatterWriter fm;
  fm.string("title", post.title);
  fm.string("date", to_rfc3339(date));
  fm.string_list("tags", post.tags);
  fm.string_list("categories", {});
  if (!post.outlet.empty()) fm.string("outlet", post.outlet);
  std::string text = fm.finish();
  text += "\nWrite the post here.\n";
  if (!write_new(path, text, sink)) return false;
  *written = path;
  return true;
}

}  // namespace byline
