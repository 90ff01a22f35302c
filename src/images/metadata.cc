// Metadata is read and written as libvips holds it: "exif-data" and one
// "exif-ifdN-Tag" field per EXIF tag (libvips drops a tag of exif-data
// whose field is gone when it saves), "xmp-data" and "iptc-data" as blobs,
// "icc-profile-data".
#include "images/metadata.h"

#include <pugixml.hpp>
#include <vector>

#include "base/strings.h"
#include "images/vips_api.h"

namespace byline {

namespace {

// The element's local name ("dc:rights" → "rights").
std::string_view local_name(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The text of an XMP property: its rdf:li items (an Alt's x-default first),
// joined with "; ", or its own text.
std::string property_text(const pugi::xml_node& node) {
  std::vector<std::string> items;
  std::string preferred;
  for (pugi::xml_node list : node.children()) {
    for (pugi::xml_node li : list.children()) {
      if (local_name(li.name()) != "li") continue;
      std::string text = li.text().get();
      if (text.empty()) continue;
      if (std::string_view(li.attribute("xml:lang").value()) == "x-default") preferred = text;
      items.push_back(std::move(text));
    }
  }
  if (!preferred.empty()) return preferred;
  if (items.empty()) return node.text().get();
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

std::string credit_xmp(std::string_view xmp) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xmp.data(), xmp.size(), pugi::parse_default | pugi::parse_pi)) return {};
  std::string creator, rights, credit;
  // Properties are elements or attributes of any rdf:Description.
  for (pugi::xpath_node found : doc.select_nodes("//*[local-name()='Description']")) {
    pugi::xml_node d = found.node();
    for (pugi::xml_attribute a : d.attributes()) {
      std::string_view name = a.name();
      if (name == "photoshop:Credit" && credit.empty()) credit = a.value();
      if (name == "dc:rights" && rights.empty()) rights = a.value();
      if (name == "dc:creator" && creator.empty()) creator = a.value();
    }
    for (pugi::xml_node p : d.children()) {
      std::string_view name = p.name();
      if (name == "dc:creator" && creator.empty()) creator = property_text(p);
      if (name == "dc:rights" && rights.empty()) rights = property_text(p);
      if (name == "photoshop:Credit" && credit.empty()) credit = property_text(p);
    }
  }
  if (creator.empty() && rights.empty() && credit.empty()) return {};
  std::string out =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
      "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\">";
  if (!creator.empty()) {
    out += "<dc:creator><rdf:Seq><rdf:li>";
    append_xml_escaped(out, creator);
    out += "</rdf:li></rdf:Seq></dc:creator>";
  }
  if (!rights.empty()) {
    out += "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">";
    append_xml_escaped(out, rights);
    out += "</rdf:li></rdf:Alt></dc:rights>";
  }
  if (!credit.empty()) {
    out += "<photoshop:Credit>";
    append_xml_escaped(out, credit);
    out += "</photoshop:Credit>";
  }
  out += "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
  return out;
}

std::string credit_iptc(std::string_view iptc) {
  static constexpr std::string_view kHeader("Photoshop 3.0\0", 14);
  if (!starts_with(iptc, kHeader)) return {};
  auto u8 = [&](size_t at) { return static_cast<unsigned char>(iptc[at]); };
  auto be16 = [&](size_t at) { return static_cast<size_t>(u8(at) << 8 | u8(at + 1)); };
  auto be32 = [&](size_t at) { return be16(at) << 16 | be16(at + 2); };
  std::string kept;
  bool any_credit = false;
  size_t at = kHeader.size();
  while (at + 12 <= iptc.size() && iptc.substr(at, 4) == "8BIM") {
    size_t id = be16(at + 4);
    size_t name_len = u8(at + 6);
    size_t name_size = (1 + name_len + 1) & ~size_t{1};  // padded to even
    size_t size_at = at + 6 + name_size;
    if (size_at + 4 > iptc.size()) break;
    size_t size = be32(size_at);
    size_t data = size_at + 4;
    if (size > iptc.size() - data) break;
    if (id == 0x0404) {
      size_t p = data, end = data + size;
      while (p + 5 <= end && u8(p) == 0x1C) {
        int record = u8(p + 1), number = u8(p + 2);
        size_t len = be16(p + 3);
        if (len & 0x8000) break;  // extended lengths: not for credit lines
        if (p + 5 + len > end) break;
        // Coded character set (1:90) and record version (2:0) keep the
        // text readable; By-line 80, Credit 110, Source 115, Copyright 116.
        bool credit =
            record == 2 && (number == 80 || number == 110 || number == 115 || number == 116);
        if (credit || (record == 1 && number == 90) || (record == 2 && number == 0))
          kept.append(iptc.substr(p, 5 + len));
        any_credit |= credit;
        p += 5 + len;
      }
    }
    at = data + size + (size & 1);
  }
  if (!any_credit) return {};
  std::string out(kHeader);
  out += "8BIM";
  out += "\x04\x04";
  out.append("\0\0", 2);
  size_t n = kept.size();
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  out += kept;
  if (n & 1) out += '\0';
  return out;
}

bool keep_only_profile_and_credit(VipsImage* image, bool keep_profile, bool keep_credit) {
  std::string xmp, iptc;
  const void* data = nullptr;
  size_t len = 0;
  if (keep_credit && vips_image_get_typeof(image, VIPS_META_XMP_NAME) &&
      vips_image_get_blob(image, VIPS_META_XMP_NAME, &data, &len) == 0)
    xmp = credit_xmp(std::string_view(static_cast<const char*>(data), len));
  if (keep_credit && vips_image_get_typeof(image, VIPS_META_IPTC_NAME) &&
      vips_image_get_blob(image, VIPS_META_IPTC_NAME, &data, &len) == 0)
    iptc = credit_iptc(std::string_view(static_cast<const char*>(data), len));
  bool exif_credit = keep_credit && (vips_image_get_typeof(image, "exif-ifd0-Artist") ||
                                     vips_image_get_typeof(image, "exif-ifd0-Copyright"));
  bool profile = keep_profile && vips_image_get_typeof(image, VIPS_META_ICC_NAME);

  gchar** fields = vips_image_get_fields(image);
  for (gchar** f = fields; *f; ++f) {
    std::string_view name = *f;
    bool keep = (profile && name == VIPS_META_ICC_NAME) ||
                (exif_credit && (name == VIPS_META_EXIF_NAME || name == "exif-ifd0-Artist" ||
                                 name == "exif-ifd0-Copyright"));
    bool metadata = starts_with(name, "exif-") || name == VIPS_META_XMP_NAME ||
                    name == VIPS_META_IPTC_NAME || name == VIPS_META_ICC_NAME ||
                    name == VIPS_META_PHOTOSHOP_NAME || name == VIPS_META_ORIENTATION ||
                    starts_with(name, "jpeg-thumbnail") || starts_with(name, "png-comment-") ||
                    starts_with(name, "gif-comment") || name == "webp-comment";
    if (metadata && !keep) vips_image_remove(image, *f);
  }
  g_strfreev(fields);
  if (!xmp.empty()) vips_image_set_blob_copy(image, VIPS_META_XMP_NAME, xmp.data(), xmp.size());
  if (!iptc.empty()) vips_image_set_blob_copy(image, VIPS_META_IPTC_NAME, iptc.data(), iptc.size());
  return profile || exif_credit || !xmp.empty() || !iptc.empty();
}

}  // namespace byline
