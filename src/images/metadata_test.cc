#include "images/metadata.h"

#include <gtest/gtest.h>

#include "base/files.h"
#include "images/image_processor.h"
#include "images/vips_api.h"

namespace byline {
namespace {

std::string fixture() {
  std::string bytes, why;
  EXPECT_TRUE(
      read_file(std::string(BYLINE_SOURCE_DIR) + "/tests/images/credited.jpg", &bytes, &why))
      << why;
  return bytes;
}

// The fixture's field `name` as libvips reads it ("" when absent).
std::string blob(VipsImage* image, const char* name) {
  const void* data = nullptr;
  size_t len = 0;
  if (!vips_image_get_typeof(image, name) || vips_image_get_blob(image, name, &data, &len) != 0)
    return {};
  return std::string(static_cast<const char*>(data), len);
}

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(ensure_vips(&why)) << why;
    bytes_ = fixture();
    image_ = vips_image_new_from_buffer(bytes_.data(), bytes_.size(), "", nullptr);
    ASSERT_NE(image_, nullptr);
  }
  void TearDown() override {
    if (image_) g_object_unref(image_);
  }
  std::string bytes_;
  VipsImage* image_ = nullptr;
};

TEST_F(MetadataTest, FixtureCarriesEverything) {
  EXPECT_EQ(blob(image_, VIPS_META_ICC_NAME).size(), 736u);
  EXPECT_TRUE(vips_image_get_typeof(image_, "exif-ifd0-Make"));
  EXPECT_TRUE(vips_image_get_typeof(image_, "exif-ifd0-Artist"));
  EXPECT_NE(blob(image_, VIPS_META_XMP_NAME).find("CreatorTool"), std::string::npos);
  EXPECT_NE(blob(image_, VIPS_META_IPTC_NAME).find("protest"), std::string::npos);
}

TEST_F(MetadataTest, CreditXmpKeepsOnlyCreditFields) {
  std::string xmp = credit_xmp(blob(image_, VIPS_META_XMP_NAME));
  EXPECT_NE(xmp.find("<dc:creator><rdf:Seq><rdf:li>A. Photographer</rdf:li>"), std::string::npos)
      << xmp;
  EXPECT_NE(xmp.find("<rdf:li xml:lang=\"x-default\">(c) 2019 Agency Ltd</rdf:li>"),
            std::string::npos);
  EXPECT_NE(xmp.find("<photoshop:Credit>A. PHOTOGRAPHER/AGENCY</photoshop:Credit>"),
            std::string::npos);
  for (const char* gone : {"CreatorTool", "GPS", "protest", "subject"})
    EXPECT_EQ(xmp.find(gone), std::string::npos) << gone;
  EXPECT_EQ(credit_xmp("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"), "");
  EXPECT_EQ(credit_xmp("not xml <"), "");
  // Escaped on the way out.
  std::string amp = credit_xmp(
      "<rdf:RDF xmlns:rdf=\"r\"><rdf:Description xmlns:photoshop=\"p\" "
      "photoshop:Credit=\"Smith &amp; Co &lt;x&gt;\"/></rdf:RDF>");
  EXPECT_NE(amp.find("<photoshop:Credit>Smith &amp; Co &lt;x&gt;</photoshop:Credit>"),
            std::string::npos)
      << amp;
}

TEST_F(MetadataTest, CreditIptcKeepsOnlyCreditDatasets) {
  std::string iptc = credit_iptc(blob(image_, VIPS_META_IPTC_NAME));
  ASSERT_FALSE(iptc.empty());
  EXPECT_EQ(iptc.substr(0, 18), std::string("Photoshop 3.0\0"
                                            "8BIM",
                                            18));
  for (const char* kept :
       {"A. Photographer", "A. PHOTOGRAPHER/AGENCY", "Agency", "(c) 2019 Agency Ltd"})
    EXPECT_NE(iptc.find(kept), std::string::npos) << kept;
  for (const char* gone : {"protest", "Protesters in the rain"})
    EXPECT_EQ(iptc.find(gone), std::string::npos) << gone;
  // Read back by the same parser: the same block.
  EXPECT_EQ(credit_iptc(iptc), iptc);
  EXPECT_EQ(credit_iptc("Photoshop 3.0"), "");
  EXPECT_EQ(credit_iptc(std::string("Photoshop 3.0\0"
                                    "8BIM\x04\x04\0\0\xff\xff\xff\xff",
                                    26)),
            "");
}

TEST_F(MetadataTest, KeepsProfileAloneOrWithCredit) {
  VipsImage* copy = nullptr;
  ASSERT_EQ(vips_copy(image_, &copy, nullptr), 0);
  EXPECT_TRUE(keep_only_profile_and_credit(copy, true, false));
  EXPECT_EQ(blob(copy, VIPS_META_ICC_NAME).size(), 736u);
  for (const char* gone :
       {"exif-data", "exif-ifd0-Artist", "exif-ifd0-Make", "xmp-data", "iptc-data"})
    EXPECT_FALSE(vips_image_get_typeof(copy, gone)) << gone;
  g_object_unref(copy);

  ASSERT_EQ(vips_copy(image_, &copy, nullptr), 0);
  EXPECT_FALSE(keep_only_profile_and_credit(copy, false, false));
  EXPECT_FALSE(vips_image_get_typeof(copy, VIPS_META_ICC_NAME));
  g_object_unref(copy);

  ASSERT_EQ(vips_copy(image_, &copy, nullptr), 0);
  EXPECT_TRUE(keep_only_profile_and_credit(copy, false, true));
  EXPECT_TRUE(vips_image_get_typeof(copy, "exif-ifd0-Artist"));
  EXPECT_TRUE(vips_image_get_typeof(copy, "exif-ifd0-Copyright"));
  EXPECT_FALSE(vips_image_get_typeof(copy, "exif-ifd0-Make"));
  EXPECT_FALSE(vips_image_get_typeof(copy, "exif-ifd0-Software"));
  EXPECT_NE(blob(copy, VIPS_META_XMP_NAME).find("photoshop:Credit"), std::string::npos);
  EXPECT_EQ(blob(copy, VIPS_META_XMP_NAME).find("CreatorTool"), std::string::npos);
  g_object_unref(copy);
}

}  // namespace
}  // namespace byline
