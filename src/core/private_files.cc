#include "core/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace oc {

namespace {

Error CannotCreateDirectory(const std::filesystem::path& path, int error_number) {
  return MakeError(
      ErrorCode::kUnavailable,
      {"无法创建目录 " + path.string() + "：" + std::strerror(error_number),
       "Cannot create the directory " + path.string() + ": " + std::strerror(error_number)});
}

Error CannotRestrict(const std::filesystem::path& path, int error_number) {
  return MakeError(
      ErrorCode::kUnavailable,
      {"无法将文件 " + path.string() + " 设为仅属主可读写：" + std::strerror(error_number),
       "Cannot make " + path.string() + " private to its owner: " + std::strerror(error_number)});
}

}  // namespace

Status CreatePrivateDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Ok();
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) return CannotCreateDirectory(dir.parent_path(), ec.value());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return CannotCreateDirectory(dir, errno);
  }
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) return CannotCreateDirectory(dir, errno);
  if (!S_ISDIR(info.st_mode)) return CannotCreateDirectory(dir, ENOTDIR);
  // mkdir applied the umask, which may only have narrowed 0700; set it exactly.
  if ((info.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
    return CannotCreateDirectory(dir, errno);
  }
  return Ok();
}

Status MakePrivateFile(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return CannotRestrict(file, errno);
  const bool narrowed = ::fchmod(fd, 0600) == 0;
  const int error_number = errno;
  ::close(fd);
  if (!narrowed) return CannotRestrict(file, error_number);
  return Ok();
}

}  // namespace oc
