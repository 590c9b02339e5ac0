#include "http/static_files.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace oc::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("oc_static_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "web" / "assets");
    Write(root_ / "web" / "index.html", "<html>app</html>");
    Write(root_ / "web" / "assets" / "app-1a2b.js", "console.log(1)");
    Write(root_ / "secret.txt", "secret");
    fs::create_symlink(root_ / "secret.txt", root_ / "web" / "leak.txt");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Write(const fs::path& file, std::string_view content) {
    std::ofstream(file, std::ios::binary) << content;
  }

  Response Get(const StaticFiles& files, std::string path) {
    Request request;
    request.path = std::move(path);
    return files.Serve(request);
  }

  fs::path root_;
};

TEST_F(StaticFilesTest, OpenFailsForMissingDirectory) {
  auto files = StaticFiles::Open(root_ / "missing");
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StaticFilesTest, ServesAssetsImmutableAndIndexRevalidated) {
  auto files = StaticFiles::Open(root_ / "web");
  ASSERT_TRUE(files.has_value());
  Response asset = Get(*files, "/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(asset.headers.find("Content-Type")->second, "text/javascript; charset=utf-8");
  EXPECT_EQ(asset.headers.find("Cache-Control")->second, "public, max-age=31536000, immutable");

  Response index = Get(*files, "/");
  EXPECT_EQ(index.body, "<html>app</html>");
  EXPECT_EQ(index.headers.find("Cache-Control")->second, "no-cache");
}

TEST_F(StaticFilesTest, UnknownPathFallsBackToIndexButMissingAssetIs404) {
  auto files = StaticFiles::Open(root_ / "web");
  ASSERT_TRUE(files.has_value());
  Response page = Get(*files, "/customers/42");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>app</html>");
  EXPECT_EQ(page.headers.find("Content-Type")->second, "text/html; charset=utf-8");
  EXPECT_EQ(Get(*files, "/assets/missing.js").status, 404);
}

TEST_F(StaticFilesTest, SymlinkLeavingTheRootIsNotFollowed) {
  auto files = StaticFiles::Open(root_ / "web");
  ASSERT_TRUE(files.has_value());
  Response response = Get(*files, "/leak.txt");
  EXPECT_NE(response.body, "secret");
  EXPECT_EQ(response.body, "<html>app</html>");
  EXPECT_NE(Get(*files, "//" + (root_ / "secret.txt").string()).body, "secret");
}

TEST(ContentTypeForTest, UsesExtensionCaseInsensitively) {
  EXPECT_EQ(ContentTypeFor("a/b.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("x.unknown"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("Makefile"), "application/octet-stream");
}

}  // namespace
}  // namespace oc::http
