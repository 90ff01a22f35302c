// The importer's side of writing a site: the manifest and the decision to
// keep a user's file. All file writing, the staging folder and the swap are
// the Publisher's, with the options an import needs: a destination that is
// empty or a byline site, and every file of the old site kept unless
// rewritten (a user's own notes, the files this import chose not to touch).
#include "import/site_writer.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace byline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = ".byline-import.json";

bool read_file(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// The publisher's message for a failed write, without its location.
std::string first_message(const DiagnosticSink& sink) {
  std::vector<const Diagnostic*> all = sink.sorted();
  return all.empty() ? std::string("unknown error") : all.front()->message;
}

}  // namespace

std::string content_hash(std::string_view content) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(content.data(), content.size())));
  return buf;
}

SiteWriter::~SiteWriter() {
  publisher_.discard();
  publisher_.wait_for_sweep();
}

bool SiteWriter::begin(const fs::path& destination, bool force, DiagnosticSink& sink) {
  // "site/" is shown as "site" in diagnostics, as the user meant it.
  destination_ = destination.lexically_normal();
  if (destination_.filename().empty()) destination_ = destination_.parent_path();
  if (destination_.empty()) destination_ = ".";
  force_ = force;
  PublishOptions options;
  options.accept = PublishOptions::Accept::kSite;
  options.keep = PublishOptions::Keep::kEverything;
  if (!publisher_.open(destination_, sink, options)) return false;
  std::error_code ec;
  updating_ = fs::exists(destination_ / "byline.toml", ec);
  std::string text;
  if (updating_ && read_file(destination_ / kManifest, &text)) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object() && j.contains("files") && j["files"].is_object()) {
      for (auto& [k, v] : j["files"].items()) {
        if (v.is_string()) previous_[k] = v.get<std::string>();
      }
    }
  }
  // Files this import does not write keep their record, so they stay
  // recognisable as imported (and unedited) next time.
  manifest_ = previous_;
  return true;
}

bool SiteWriter::write(const std::string& relative, std::string_view content) {
  // previous_ is read-only after begin(); the file work runs unlocked so
  // items can be written from several threads. The site as the user has it
  // is the destination itself, untouched until commit().
  std::string hash = content_hash(content);
  if (updating_ && !force_) {
    fs::path target = destination_ / relative;
    std::string existing;
    auto before = previous_.find(relative);
    std::error_code ec;
    bool deleted = before != previous_.end() && !fs::exists(target, ec);
    bool edited = !deleted && read_file(target, &existing) &&
                  (before == previous_.end() || before->second != content_hash(existing));
    if (deleted || edited) {
      // Deleted or edited since the last import, or never imported: the
      // user's decision stands (the publisher keeps their file).
      std::lock_guard<std::mutex> lock(mu_);
      kept_.push_back(relative);
      if (before != previous_.end()) manifest_[relative] = before->second;
      return false;
    }
  }
  DiagnosticSink why;
  if (!publisher_.write(relative, content, why)) {
    std::lock_guard<std::mutex> lock(mu_);
    failed_.emplace_back(relative, first_message(why));
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  manifest_[relative] = hash;
  ++written_;
  return true;
}

std::vector<std::string> SiteWriter::kept() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> sorted = kept_;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

size_t SiteWriter::written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_;
}

bool SiteWriter::copy(const fs::path& source, const std::string& relative) {
  // The importer lists an upload it could not copy in attachments.csv; the
  // publisher's reason is not needed for that.
  DiagnosticSink ignored;
  return publisher_.copy(relative, source, ignored);
}

bool SiteWriter::commit(DiagnosticSink& sink) {
  if (!failed_.empty()) {
    std::sort(failed_.begin(), failed_.end());
    sink.error({destination_.string(), 0, 0},
               "cannot write " + std::to_string(failed_.size()) + " file(s), the first being " +
                   failed_.front().first + " (" + failed_.front().second + ")");
    return false;
  }
  nlohmann::json j;
  j["generator"] = "byline import wordpress";
  j["files"] = nlohmann::json::object();
  for (const auto& [k, v] : manifest_) j["files"][k] = v;
  if (!publisher_.write(kManifest, j.dump(2) + "\n", sink)) return false;
  return publisher_.commit(sink);
}

}  // namespace byline
