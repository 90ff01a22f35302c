// image() and its methods. What a call publishes is named by a key it
// records as a dependency of the output being rendered: the next build
// makes those files again from the key for an output it does not render.
#include "render/template_images.h"

#include <cctype>
#include <map>
#include <mutex>
#include <unordered_map>

#include "images/image_set.h"
#include "images/image_transform.h"
#include "images/size_plan.h"
#include "markdown/local_images.h"
#include "render/dependencies.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKeyPrefix = "image-out:";

// An image as templates see it: a source image (its variants, and
// methods to size it) or one sized from it.
struct ImageRef {
  std::string site_path;
  fs::path file;
  std::string url;
  int width = 0;
  int height = 0;
  std::string format;
  bool processed = false;
  bool derived = false;
  std::shared_ptr<const ProcessedImage> source;  // !derived and processed
  const Site* site = nullptr;
  TemplateImages* owner = nullptr;
};

std::string spec_of(const ImageTransform& t) {
  std::string s = (t.width ? std::to_string(t.width) : std::string()) + 'x' +
                  (t.height ? std::to_string(t.height) : std::string());
  if (!t.format.empty()) s += ' ' + t.format;
  if (t.quality) s += " q" + std::to_string(t.quality);
  if (t.op == ImageTransform::Op::kFill) s += ' ' + t.anchor;
  return s;
}

std::string output_key(std::string_view site_path, const fs::path& file, std::string_view what) {
  std::string key(kKeyPrefix);
  key.append(site_path);
  key += '\t';
  key += file.generic_string();
  key += '\t';
  key.append(what);
  return key;
}

}  // namespace

struct TemplateImages::Impl {
  const Site& site;
  const Theme& theme;
  std::once_flag local_once;
  std::unique_ptr<LocalImages> local;
  std::once_flag pages_once;
  std::unordered_map<std::string_view, const Page*> pages_by_source;

  Impl(const Site& s, const Theme& t) : site(s), theme(t) {}

  LocalImages& local_images() {
    std::call_once(local_once, [this] {
      local =
          std::make_unique<LocalImages>(*site.config, site.images->site_dir(), theme, site.pages);
    });
    return *local;
  }

  const Page* page_of(std::string_view rendering) {
    std::call_once(pages_once, [this] {
      for (const Page& p : site.pages) {
        pages_by_source.emplace(p.source_path, &p);
        pages_by_source.emplace(p.url_origin.path, &p);
      }
    });
    auto it = pages_by_source.find(rendering);
    return it == pages_by_source.end() ? nullptr : it->second;
  }

  // The files a key names, made now (the cache makes that cheap).
  std::vector<std::pair<std::string, fs::path>> expand(std::string_view key) {
    std::vector<std::pair<std::string, fs::path>> out;
    if (!key.starts_with(kKeyPrefix)) return out;
    key.remove_prefix(kKeyPrefix.size());
    size_t tab1 = key.find('\t');
    size_t tab2 = tab1 == std::string_view::npos ? tab1 : key.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) return out;
    std::string site_path(key.substr(0, tab1));
    fs::path file(std::string(key.substr(tab1 + 1, tab2 - tab1 - 1)));
    std::string_view what = key.substr(tab2 + 1);
    ImageSet& images = *site.images;
    if (!images.enabled()) return out;
    if (what == "variants") {
      std::shared_ptr<const ProcessedImage> img = images.get(file);
      for (const ImageVariant& v : img->variants)
        out.emplace_back(variant_path(site_path, v.width, v.format), v.file);
      return out;
    }
    size_t space = what.find(' ');
    std::string_view op_name = what.substr(0, space);
    ImageTransform::Op op = op_name == "fit"    ? ImageTransform::Op::kFit
                            : op_name == "fill" ? ImageTransform::Op::kFill
                                                : ImageTransform::Op::kResize;
    ImageTransform t;
    std::string error;
    if (space == std::string_view::npos ||
        !parse_image_transform(op, what.substr(space + 1), &t, &error))
      return out;
    std::shared_ptr<const TransformedImage> made = images.transform(file, t);
    if (made->ok) out.emplace_back(transform_path(site_path, t, made->format), made->file);
    return out;
  }

  // Records `key` for the output being rendered and publishes what it names.
  void publish(const std::string& key) {
    record_named_dep(key);
    for (auto& [path, file] : expand(key)) site.images->publish_extra(path, file);
  }
};

namespace {

TValue str(std::string s) { return TValue::string(std::move(s)); }

TValue image_value(const ImageRef& ref, TemplateImages::Impl* impl);

// resize(spec), fit(spec), fill(spec) of a source image.
class ImageMethod final : public Callable {
 public:
  ImageMethod(std::shared_ptr<const ImageRef> ref, ImageTransform::Op op,
              TemplateImages::Impl* impl)
      : ref_(std::move(ref)), op_(op), impl_(impl) {}
  std::string_view name() const override { return transform_op_name(op_); }
  TValue call(RenderState&, CallArgs& args) const override {
    const std::string what(transform_op_name(op_));
    if (ref_->derived)
      throw TemplateError{what + "() sizes an image from image(path), not one already sized (" +
                          ref_->site_path + ")"};
    if (args.positional.size() != 1 || !args.positional[0].is_string())
      throw TemplateError{what + "() needs a specification such as \"" +
                          (op_ == ImageTransform::Op::kResize ? "300x" : "300x200") + "\""};
    ImageTransform t;
    std::string error;
    if (!parse_image_transform(op_, args.positional[0].as_string(), &t, &error))
      throw TemplateError{what + "(\"" + std::string(args.positional[0].as_string()) +
                          "\"): " + error};
    // With processing off the image is published as it is: themes that
    // size images still build.
    if (!ref_->processed) {
      if (!impl_->site.images->enabled()) return image_value(*ref_, impl_);
      throw TemplateError{"cannot " + what + " the image " + ref_->site_path + ": " +
                          (ref_->source && ref_->source->status == ProcessedImage::Status::kFailed
                               ? ref_->source->error
                               : "only a JPEG, PNG or WebP can be sized (" + ref_->format +
                                     " is published as it is)")};
    }
    std::shared_ptr<const TransformedImage> made = impl_->site.images->transform(ref_->file, t);
    if (!made->ok)
      throw TemplateError{"cannot " + what + " the image " + ref_->site_path + ": " + made->error};
    impl_->publish(output_key(ref_->site_path, ref_->file, what + " " + spec_of(t)));
    ImageRef out;
    out.site_path = transform_path(ref_->site_path, t, made->format);
    out.file = made->file;
    out.url = impl_->site.config->urls.relative(out.site_path);
    out.width = made->width;
    out.height = made->height;
    out.format = made->format;
    out.processed = true;
    out.derived = true;
    out.site = ref_->site;
    return image_value(out, impl_);
  }

 private:
  std::shared_ptr<const ImageRef> ref_;
  ImageTransform::Op op_;
  TemplateImages::Impl* impl_;
};

class ImageRefType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "image"; }
  TValue attribute(const void* self, std::string_view name) const override {
    const auto* ref = static_cast<const ImageRef*>(self);
    if (name == "url") return str(ref->url);
    if (name == "path") return str(ref->site_path);
    if (name == "width") return ref->width ? TValue::integer(ref->width) : TValue::none();
    if (name == "height") return ref->height ? TValue::integer(ref->height) : TValue::none();
    if (name == "format") return str(ref->format);
    if (name == "processed") return TValue::boolean(ref->processed);
    if (name == "variants") {
      TValue::List list;
      if (ref->source && ref->processed) {
        for (const ImageVariant& v : ref->source->variants) {
          list.push_back(TValue::dict(
              {{TValue::string_ref("url"), str(ref->site->config->urls.relative(
                                               variant_path(ref->site_path, v.width, v.format)))},
               {TValue::string_ref("width"), TValue::integer(v.width)},
               {TValue::string_ref("height"), TValue::integer(v.height)},
               {TValue::string_ref("format"), str(v.format)}}));
        }
      }
      return TValue::list(std::move(list));
    }
    return TValue::undefined();
  }
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const ImageRef*>(self)->url;
  }
  bool truthy(const void*) const override { return true; }
};

const ImageRefType kImageRefType;

// Methods are bound per object: the type is stateless, the callable holds
// the image.
class BoundImageType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "image"; }
  TValue attribute(const void* self, std::string_view name) const override;
  void append_str(const void* self, std::string& out) const override {
    kImageRefType.append_str(self, out);
  }
  bool truthy(const void*) const override { return true; }
};

const BoundImageType kBoundImageType;

struct BoundImage : ImageRef {
  TemplateImages::Impl* impl = nullptr;
  std::weak_ptr<const BoundImage> self;
};

TValue BoundImageType::attribute(const void* self, std::string_view name) const {
  const auto* ref = static_cast<const BoundImage*>(self);
  ImageTransform::Op op;
  if (name == "resize") {
    op = ImageTransform::Op::kResize;
  } else if (name == "fit") {
    op = ImageTransform::Op::kFit;
  } else if (name == "fill") {
    op = ImageTransform::Op::kFill;
  } else {
    return kImageRefType.attribute(self, name);
  }
  return TValue::callable(std::make_shared<ImageMethod>(ref->self.lock(), op, ref->impl));
}

TValue image_value(const ImageRef& ref, TemplateImages::Impl* impl) {
  auto bound = std::make_shared<BoundImage>();
  static_cast<ImageRef&>(*bound) = ref;
  bound->impl = impl;
  bound->self = bound;
  const BoundImage* p = bound.get();
  return TValue::object(&kBoundImageType, p, std::move(bound));
}

}  // namespace

TemplateImages::TemplateImages(const Site& site, const Theme& theme)
    : impl_(std::make_unique<Impl>(site, theme)) {}

TemplateImages::~TemplateImages() = default;

bool TemplateImages::is_output_key(std::string_view key) { return key.starts_with(kKeyPrefix); }

std::string_view TemplateImages::output_key_prefix() { return kKeyPrefix; }

void TemplateImages::register_functions(TemplateEngine& engine) {
  Impl* impl = impl_.get();
  if (!impl->site.images) return;
  engine.add_function("image", [impl](RenderState& state, CallArgs& args) {
    if (args.positional.size() != 1 || !args.positional[0].is_string())
      throw TemplateError{"image() needs the path of a local image, such as \"/images/a.jpg\""};
    std::string url(args.positional[0].as_string());
    // A relative path is the page's own (a bundle's file), as in its Markdown.
    Page here;
    const Page* page = impl->page_of(state.page());
    if (!page) {
      here.permalink = state.page().starts_with("/") ? std::string(state.page()) : "/";
      page = &here;
    }
    LocalImage found = impl->local_images().find(*page, url);
    if (found.kind == LocalImage::Kind::kNotLocal)
      throw TemplateError{"image('" + url + "'): not a local image (a remote or data: URL is not " +
                          "processed)"};
    if (found.kind == LocalImage::Kind::kMissing) {
      std::string message = "image '" + url + "' not found (looked for ";
      for (size_t t = 0; t < found.tried.size(); ++t) {
        if (t > 0) message += t + 1 == found.tried.size() ? " and " : ", ";
        message += found.tried[t];
      }
      throw TemplateError{message + ')'};
    }
    std::string rel = found.file.lexically_relative(impl->site.images->site_dir()).generic_string();
    record_named_dep("file:" + rel);
    ImageRef ref;
    ref.site_path = found.site_path;
    ref.file = found.file;
    ref.url = impl->site.config->urls.relative(found.site_path);
    ref.site = &impl->site;
    if (found.size) {
      ref.width = found.size->width;
      ref.height = found.size->height;
    }
    ImageSet& images = *impl->site.images;
    if (images.enabled()) {
      std::shared_ptr<const ProcessedImage> img = images.get(found.file);
      ref.format = std::string(format_name(img->format));
      ref.source = img;
      ref.processed = img->processed();
      if (img->width) {
        ref.width = img->width;
        ref.height = img->height;
      }
      if (ref.processed) impl->publish(output_key(found.site_path, found.file, "variants"));
    } else {
      // Not read: named by its extension, as it is published.
      std::string ext = found.file.extension().string();
      for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ref.format = ext == ".jpg" || ext == ".jpeg" ? "jpeg" : ext.empty() ? "" : ext.substr(1);
    }
    return image_value(ref, impl);
  });
}

std::vector<std::pair<std::string, fs::path>> TemplateImages::outputs(
    const std::vector<std::string>& kept_keys) {
  std::map<std::string, fs::path> all;
  if (!impl_->site.images) return {};
  for (auto& [path, file] : impl_->site.images->extras()) all.emplace(path, file);
  for (const std::string& key : kept_keys)
    for (auto& [path, file] : impl_->expand(key)) all.emplace(path, file);
  return {all.begin(), all.end()};
}

}  // namespace byline
