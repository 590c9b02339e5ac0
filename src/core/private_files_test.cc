#include "core/private_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace oc {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// The process-wide umask, set for one test and restored after it.
class UmaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = ::umask(0);
    root_ = fs::temp_directory_path() / ("oc-private-" + std::to_string(std::random_device{}()));
  }
  void TearDown() override {
    ::umask(saved_);
    fs::remove_all(root_);
  }

  mode_t saved_ = 022;
  fs::path root_;
};

TEST_F(UmaskTest, DirectoryIsOwnerOnlyEvenWithAnOpenUmask) {
  fs::path dir = root_ / "parent" / "data";
  ASSERT_TRUE(CreatePrivateDirectory(dir));
  EXPECT_EQ(ModeOf(dir), 0700u);
  // Again: nothing to do, and no error.
  EXPECT_TRUE(CreatePrivateDirectory(dir));
  ::umask(0277);
  fs::path narrow = root_ / "narrow";
  ASSERT_TRUE(CreatePrivateDirectory(narrow));
  EXPECT_EQ(ModeOf(narrow), 0700u) << "a umask that removes the owner's bits is overridden too";
}

TEST_F(UmaskTest, AnExistingDirectoryKeepsTheModeItsOperatorChose) {
  fs::path dir = root_ / "mounted";
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0750);
  ASSERT_TRUE(CreatePrivateDirectory(dir));
  EXPECT_EQ(ModeOf(dir), 0750u);
}

TEST_F(UmaskTest, FilesAreCreatedOrNarrowedToOwnerOnly) {
  ASSERT_TRUE(CreatePrivateDirectory(root_));
  fs::path fresh = root_ / "fresh.db";
  ASSERT_TRUE(MakePrivateFile(fresh));
  EXPECT_EQ(ModeOf(fresh), 0600u);
  fs::path loose = root_ / "loose.db";
  std::ofstream(loose) << "data";
  ::chmod(loose.c_str(), 0666);
  ASSERT_TRUE(MakePrivateFile(loose));
  EXPECT_EQ(ModeOf(loose), 0600u);
  std::ifstream in(loose);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "data") << "narrowing never truncates";
}

TEST_F(UmaskTest, ASymbolicLinkIsNotFollowed) {
  ASSERT_TRUE(CreatePrivateDirectory(root_));
  fs::path target = root_ / "elsewhere";
  std::ofstream(target) << "x";
  ::chmod(target.c_str(), 0644);
  fs::create_symlink(target, root_ / "link.db");
  auto made = MakePrivateFile(root_ / "link.db");
  EXPECT_FALSE(made);
  EXPECT_EQ(made.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ModeOf(target), 0644u);
}

TEST_F(UmaskTest, AFileInTheWayOfTheDirectoryIsAnError) {
  ASSERT_TRUE(CreatePrivateDirectory(root_));
  std::ofstream(root_ / "data") << "x";
  auto made = CreatePrivateDirectory(root_ / "data");
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(made.error().message.en_us.find("data"), std::string::npos);
}

}  // namespace
}  // namespace oc
