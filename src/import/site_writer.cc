// Staging lives next to the destination so the final rename stays on one
// filesystem and is atomic for a new site; an update swaps the old folder
// aside first and removes it once the new one is in place.
#include "import/site_writer.h"

#include <unistd.h>
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

bool write_file(const fs::path& p, std::string_view content) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

}  // namespace

std::string content_hash(std::string_view content) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(content.data(), content.size())));
  return buf;
}

SiteWriter::~SiteWriter() {
  if (!committed_ && !staging_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

bool SiteWriter::fail(std::string message, DiagnosticSink& sink) {
  sink.error({destination_.string(), 0, 0}, std::move(message));
  return false;
}

bool SiteWriter::begin(const fs::path& destination, bool force, DiagnosticSink& sink) {
  // "site/" would otherwise put the staging folder inside the destination.
  destination_ = destination.lexically_normal();
  if (destination_.filename().empty()) destination_ = destination_.parent_path();
  if (destination_.empty()) destination_ = ".";
  force_ = force;
  std::error_code ec;
  if (fs::exists(destination_, ec)) {
    if (!fs::is_directory(destination_, ec)) {
      return fail("the output path exists and is not a folder", sink);
    }
    bool empty = fs::is_empty(destination_, ec);
    if (!empty) {
      if (!fs::exists(destination_ / "byline.toml", ec)) {
        return fail(
            "refusing to import into a folder that is neither empty nor a byline site "
            "(it has no byline.toml)",
            sink);
      }
      updating_ = true;
    }
  }
  fs::path parent = destination_.parent_path();
  if (parent.empty()) parent = ".";
  staging_ = parent / (".byline-import-" + destination_.filename().string() + "-" +
                       std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  if (updating_) {
    fs::copy(destination_, staging_, fs::copy_options::recursive, ec);
    if (ec) return fail("cannot copy the site to " + staging_.string() + ": " + ec.message(), sink);
    std::string text;
    if (read_file(destination_ / kManifest, &text)) {
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
  } else {
    fs::create_directories(staging_, ec);
    if (ec) return fail("cannot create " + staging_.string() + ": " + ec.message(), sink);
  }
  return true;
}

bool SiteWriter::write(const std::string& relative, std::string_view content) {
  // previous_ is read-only after begin(); the file work runs unlocked so
  // items can be written from several threads.
  fs::path target = staging_ / relative;
  std::string hash = content_hash(content);
  if (updating_ && !force_) {
    std::string existing;
    auto before = previous_.find(relative);
    std::error_code ec;
    bool deleted = before != previous_.end() && !fs::exists(target, ec);
    bool edited = !deleted && read_file(target, &existing) &&
                  (before == previous_.end() || before->second != content_hash(existing));
    if (deleted || edited) {
      // Deleted or edited since the last import, or never imported: the
      // user's decision stands.
      std::lock_guard<std::mutex> lock(mu_);
      kept_.push_back(relative);
      if (before != previous_.end()) manifest_[relative] = before->second;
      return false;
    }
  }
  if (!write_file(target, content)) {
    std::lock_guard<std::mutex> lock(mu_);
    failed_.push_back(relative);
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
  fs::path target = staging_ / relative;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
  return !ec;
}

bool SiteWriter::commit(DiagnosticSink& sink) {
  if (!failed_.empty()) {
    std::sort(failed_.begin(), failed_.end());
    return fail("cannot write " + std::to_string(failed_.size()) + " file(s) into " +
                    staging_.string() + ", the first being " + failed_.front(),
                sink);
  }
  nlohmann::json j;
  j["generator"] = "byline import wordpress";
  j["files"] = nlohmann::json::object();
  for (const auto& [k, v] : manifest_) j["files"][k] = v;
  if (!write_file(staging_ / kManifest, j.dump(2) + "\n")) {
    return fail("cannot write the import manifest", sink);
  }
  std::error_code ec;
  if (updating_) {
    fs::path old = staging_;
    old += ".old";
    fs::rename(destination_, old, ec);
    if (ec) return fail("cannot move the old site aside: " + ec.message(), sink);
    fs::rename(staging_, destination_, ec);
    if (ec) {
      std::error_code ignore;
      fs::rename(old, destination_, ignore);
      return fail("cannot move the new site into place: " + ec.message(), sink);
    }
    fs::remove_all(old, ec);
  } else {
    if (fs::exists(destination_)) fs::remove(destination_, ec);  // an empty folder
    fs::rename(staging_, destination_, ec);
    if (ec) return fail("cannot move the new site into place: " + ec.message(), sink);
  }
  committed_ = true;
  return true;
}

}  // namespace byline
