// The uploads `byline import wordpress` could not bring, and how the build
// and the check speak of them. A WordPress export holds the addresses of
// its media, not the files: without --uploads every image of an imported
// site is missing, and the importer lists each in attachments.csv (old URL,
// path in the site). Reported one by one, that is hundreds of lines about
// one fact, which the import has already told; so the build's warnings and
// the check's errors for those files are folded into one per site, with
// the first places, and `--verbose` shows every place as before. An image
// missing from a post that attachments.csv does not list is reported where
// it is, as always.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "base/diagnostic.h"

namespace byline {

struct MissingUploads {
  std::unordered_set<std::string> paths;              // "/wp-content/uploads/2008/06/a.jpg"
  std::unordered_map<std::string, std::string> urls;  // old URL, as the file has it → path

  // Reads SITE/attachments.csv (url,path); rows whose path is under
  // static/ are the files the import did not copy. Nothing when there is
  // no such file.
  void load(const std::filesystem::path& csv);
  // Parses the text of an attachments.csv.
  void parse(std::string_view text);

  // A site path of a listed upload: where the import put it
  // ("/wp-content/uploads/a.jpg"), or, on a site imported when uploads went
  // to /uploads/, the old path a _redirects rule would send there.
  bool has_path(std::string_view path) const;
  // The listed upload's site path for an old URL, or "".
  std::string path_of_url(std::string_view url) const;
};

// The image a build warning says was not found ("image '/a.jpg' not
// found (looked for …)", also "featured image '…'"), or "".
std::string_view missing_image_of(std::string_view message);

// Passes every diagnostic of `from` (a build's) on to `to`, but the
// warnings about images `missing` lists: those become one warning at
// `csv_display` (attachments.csv) that counts the files and places, names
// the first few and says what to do (none when `csv_display` is empty: the
// check says it from the output). With `verbose` each is passed on too.
// Returns how many warnings were folded.
size_t fold_missing_upload_warnings(const DiagnosticSink& from, const MissingUploads& missing,
                                    const std::string& csv_display, bool verbose,
                                    DiagnosticSink* to);

// The advice every summary of such uploads ends with.
std::string missing_uploads_advice();

}  // namespace byline
