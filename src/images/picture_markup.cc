// Markup only: the variants' names come from size_plan.
#include "images/picture_markup.h"

#include "base/strings.h"
#include "images/size_plan.h"

namespace byline {

std::string srcset(const ProcessedImage& image, std::string_view src, std::string_view format) {
  std::string out;
  for (const ImageVariant* v : image.of_format(format)) {
    if (!out.empty()) out += ", ";
    out += variant_path(src, v->width, format);
    out += ' ' + std::to_string(v->width) + 'w';
  }
  return out;
}

std::string picture_html(const ProcessedImage& image, const PictureAttributes& a) {
  std::vector<std::string> formats;
  for (const ImageVariant& v : image.variants)
    if (formats.empty() || formats.back() != v.format) formats.push_back(v.format);
  const std::string& fallback = formats.back();
  const ImageVariant* largest = image.of_format(fallback).back();

  std::string sizes;
  append_html_escaped(sizes, a.sizes);
  std::string html;
  bool picture = formats.size() > 1;
  if (picture) {
    html += "<picture>";
    for (size_t f = 0; f + 1 < formats.size(); ++f) {
      html += "<source type=\"image/" + formats[f] + "\" srcset=\"" +
              srcset(image, a.src, formats[f]) + "\" sizes=\"" + sizes + "\">";
    }
  }
  html += "<img src=\"" + variant_path(a.src, largest->width, fallback) + "\" srcset=\"" +
          srcset(image, a.src, fallback) + "\" sizes=\"" + sizes + "\" alt=\"";
  html.append(a.alt);
  html += '"';
  if (!a.title.empty()) {
    html += " title=\"";
    html.append(a.title);
    html += '"';
  }
  html += " width=\"" + std::to_string(largest->width) + "\" height=\"" +
          std::to_string(largest->height) + '"';
  if (!a.eager) html += " loading=\"lazy\" decoding=\"async\"";
  html += '>';
  if (picture) html += "</picture>";
  return html;
}

}  // namespace byline
