// The single publisher: every byte byline writes, built site or imported
// one, goes through it. Files go into a staging folder beside the
// destination, which is swapped in whole on commit, so a failed run never
// leaves a half-written folder; any path that would land outside the output
// folder is refused.
//
// What lies beside DEST (for DEST = ".../public"):
//   .public.byline-staging    the run's new output while it is written
//   .public.byline-old-*      retired trees: a previous output swapped out,
//                             or a staging folder given up; only ever
//                             deleted, by a background thread (the "sweep")
//   .public.byline-previous   the old output while it is out of place, only
//                             on a file system without RENAME_EXCHANGE
//
// Crash safety: at every instant DEST exists whole (old or new), and what
// the new output carries over from the old (hidden entries such as .git)
// is never only in a tree that is about to be deleted. commit() runs:
//   1. The old output's entries to keep are hard-linked (copied where a
//      link is refused) into the staging folder. Only new names are made:
//      DEST is not touched, so a kill here leaves DEST as it was and a
//      staging folder that is safe to delete.
//   2. renameat2(staging, DEST, RENAME_EXCHANGE): one atomic step. Before
//      it DEST is the old output, after it the new one, which already holds
//      its links to the kept files; the staging path now holds the old tree.
//   3. The staging path is renamed to a .public.byline-old-* name and queued
//      for the sweep. A kill between 2 and 3 leaves the old tree at the
//      staging path, which the next open() retires like any abandoned
//      staging folder: its kept files are links whose other name is in DEST.
//   4. The sweep deletes retired trees file by file. A kill leaves part of
//      one; the next run recognises it by name and goes on.
// Without RENAME_EXCHANGE (some network file systems) step 2 is two renames,
// DEST → .public.byline-previous, then staging → DEST; a kill between them
// leaves no DEST, and the next open() renames the previous output back
// before anything else, so the old output is what the user sees again.
// A kill after them leaves both; the previous one is then retired.
// Power loss is another matter: nothing here is fsync'ed. Every state a
// kill can leave, for commit() and commit_in_place(), is tabled in
// docs/architecture.md ("The commit and its crash states"), and
// tests/incremental/publish_kill_test.py kills a build at each step.
//
// Retired trees are deleted while the next run works rather than by a
// process that outlives this one: deleting 35,000 files can take longer
// than building them, so the build does not wait for it. The thread is
// always joined: the Publisher's destructor stops it between two files and
// leaves what is left for the next run, except that it first lets it finish
// all but one retired tree, so a disk that deletes slower than byline
// builds never collects more than one old copy of the site. A run that
// committed in place retired only the files it replaced, not a copy of the
// site (.public.byline-old-replaced-*): it waits for every copy of the site
// to be deleted, but leaves the replaced files of earlier runs to the next
// run unless more than a few such trees are queued.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

// Checks that `rel` is a relative path that stays inside the output folder
// (no absolute path, no "..", no NUL, no backslash) and normalises it
// ("a//b/./c" → "a/b/c"). On failure says why in `error`.
bool normalize_output_path(std::string_view rel, std::string* out, std::string* error);

struct PublishOptions {
  // What an existing destination may be. Anything else is refused by open()
  // before a file is written.
  enum class Accept {
    // Built output: anything but a folder holding a site's sources
    // (byline.toml or content/), which a wrong -d would otherwise replace.
    kBuiltOutput,
    // A byline site (it has byline.toml) or an empty folder: the importer
    // writes sources, and must not swallow an unrelated folder.
    kSite,
  };
  Accept accept = Accept::kBuiltOutput;

  // What the new output keeps of the previous one that this run did not
  // write itself.
  enum class Keep {
    // Top-level entries whose name starts with '.' (.git, .well-known), so a
    // deploy checkout in public/ survives a build. A hidden folder the run
    // also writes into (a page at /.well-known/security.txt) is merged: the
    // run's files win, the others are kept, as an incremental build, which
    // only replaces and deletes its own outputs, keeps them. (So a hidden
    // output byline no longer makes stays after a full build, as a hidden
    // file at the top always did; an incremental build deletes it.)
    kHiddenEntries,
    // Every file, merged folder by folder: an import updates a site and
    // leaves the user's own files and the ones it chose not to overwrite.
    kEverything,
  };
  Keep keep = Keep::kHiddenEntries;

  // false: swap with two renames even where RENAME_EXCHANGE works, so the
  // tests can reach the fallback path.
  bool exchange = true;

  // The run ends in commit_in_place(), not commit(): each file is staged
  // under a number, in the staging folder itself, so that staging a few
  // thousand files makes no folders (each a new inode, and one more to
  // delete after).
  bool in_place = false;

  // The run does not wait, when it ends, for earlier copies of the site to
  // be deleted (see the top of this header): the sweep is stopped between
  // two files and the rest left to the next run that waits. For `byline
  // serve`'s edits in memory, a few files each, which must not wait for a
  // copy of a 100,000-post site being deleted.
  bool leave_sweep = false;
};

class Sweeper;

class Publisher {
 public:
  Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  // Discards an uncommitted staging folder, then joins the sweep (see the
  // top of this file for what it leaves).
  ~Publisher();

  // Starts deleting, in the background, the retired trees earlier runs left
  // beside `dest`. open() does this too; a caller that knows the destination
  // early calls it first to give the deletion the whole run.
  void sweep_leftovers(const std::filesystem::path& dest);

  // Recovers from a run killed half-way (see above), checks the destination
  // against `options.accept` and prepares an empty staging folder.
  bool open(const std::filesystem::path& dest, DiagnosticSink& sink,
            const PublishOptions& options = {});

  // Thread-safe. Writes `data` at `rel_path` under the output folder.
  // `origin` names the input responsible, for the diagnostic on failure.
  bool write(std::string_view rel_path, std::string_view data, DiagnosticSink& sink,
             const SourceLocation& origin = {});
  // Thread-safe. Copies a file. A failed copy leaves nothing at `rel_path`.
  bool copy(std::string_view rel_path, const std::filesystem::path& source, DiagnosticSink& sink,
            const SourceLocation& origin = {});

  // Carries over what options.keep keeps of the previous output and swaps
  // the staging folder in as the destination; the previous output is
  // retired. On failure the previous output stays as it was.
  bool commit(DiagnosticSink& sink);
  // For an incremental build (opened with options.in_place), instead of
  // commit(): deletes `removed` (the outputs the build no longer makes) and
  // the folders they leave empty, then moves each file of `written` from
  // the staging folder into place. Each rename is atomic, so at any moment
  // every file is whole, old or new; the output as a whole is not swapped,
  // and a run stopped half-way leaves it part old, part new (the
  // incremental build marks its state so that the next build is a full
  // one). The files replaced and deleted are not freed here: each is first
  // linked into the staging folder, which is retired, so the sweep frees
  // them (on a file system mounted with `discard`, freeing a file's blocks
  // waits for the disk: 0.13 ms a file here, five times the move). False,
  // with an error reported, when something could not be moved or deleted.
  bool commit_in_place(const std::vector<std::string>& written,
                       const std::vector<std::string>& removed, DiagnosticSink& sink);
  // Gives up the staging folder; the previous output stays as it was.
  void discard();

  // Waits until every retired tree this publisher knows of is deleted: for
  // a run whose user expects nothing left behind when it returns (import).
  void wait_for_sweep();

  size_t files_written() const { return files_.load(); }
  const std::filesystem::path& staging_dir() const { return staging_; }

 private:
  // Checks `rel_path`, creates its folder and sets `norm` to the normalised
  // path, relative to the staging folder. A file is claimed by creating it
  // (O_EXCL): the staging folder starts empty, so a second output for one
  // file is refused by the file system, with no set of paths to keep (at
  // 100,000 posts that set was ~20 MB and a locked insert per file).
  bool prepare(std::string_view rel_path, std::string* norm, DiagnosticSink& sink,
               const SourceLocation& origin);
  void close_staging_fd();
  bool ensure_dir(const std::string& rel_dir, DiagnosticSink& sink, const SourceLocation& origin);
  // Reports that creating `norm` failed with `err`: a file already there is
  // a second output for it, a folder there is in its way.
  void report_create_failure(const std::string& norm, int err, DiagnosticSink& sink,
                             const SourceLocation& origin);
  // Sets the names beside `dest` (dest_, staging_, …) from `dest`.
  void name_paths(const std::filesystem::path& dest);
  // Renames `path` to a fresh retired name and queues it for the sweep; if
  // it cannot be renamed, deletes it in place. Returns false if it is still
  // there.
  // `small`: the files an in-place commit replaced, not a copy of the site
  // (named .public.byline-old-replaced-*).
  bool retire(const std::filesystem::path& path, bool small = false);
  // Step 2 of commit() with its fallback; then retires the old output.
  bool swap_in(bool had_previous, std::string* error);

  std::filesystem::path dest_;
  std::filesystem::path staging_;
  std::filesystem::path previous_;   // the fallback swap's parking place
  std::string retired_prefix_;       // ".public.byline-old-"
  std::filesystem::path swept_for_;  // the destination already scanned
  PublishOptions options_;
  int staging_fd_ = -1;  // files and folders are made relative to it
  // options.in_place: the number each output path is staged under.
  std::mutex staged_mu_;
  std::unordered_map<std::string, uint32_t> staged_;
  bool open_ = false;
  bool committed_in_place_ = false;
  // How many retired trees a run that committed in place may leave.
  static constexpr size_t kSmallTreesLeft = 8;
  std::atomic<size_t> files_{0};
  std::unique_ptr<Sweeper> sweeper_;
};

}  // namespace byline
