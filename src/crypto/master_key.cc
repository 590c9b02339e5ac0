#include "crypto/master_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "core/private_files.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace oc::crypto {
namespace {

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

// Entries are named by position, never by content: the content is the key.
Error SpecError(size_t position, std::string zh_problem, std::string en_problem) {
  std::string n = std::to_string(position);
  return MakeError(ErrorCode::kInvalidArgument, {"主密钥配置的第 " + n + " 项" + zh_problem,
                                                 "Master key entry #" + n + " " + en_problem});
}

// Owns a file descriptor; closing is the only cleanup a descriptor needs.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so the caller sees the error (a deferred write error surfaces here).
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

Error IoError(const std::string& what, const std::filesystem::path& path, int error_number) {
  return Internal("master key file: " + what + " " + path.string() + ": " +
                  std::strerror(error_number));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

Result<std::string> ReadKeyFile(const std::filesystem::path& path, int fd) {
  struct stat info;
  if (::fstat(fd, &info) != 0) return IoError("cannot stat", path, errno);
  if (!S_ISREG(info.st_mode)) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"密钥文件 " + path.string() + " 不是普通文件",
                      "The key file " + path.string() + " is not a regular file"});
  }
  // Anyone who can read this file can decrypt every customer's ID number: refuse to use a key
  // that others may already have copied, rather than silently tightening the mode.
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"密钥文件 " + path.string() + " 的权限为 " + mode +
                          "，同组或其他用户可以访问；请执行 chmod 600 " + path.string() +
                          " 后重试，并评估密钥是否已泄露",
                      "The key file " + path.string() + " has mode " + mode +
                          ", so group or other users can access it; run chmod 600 " +
                          path.string() + " and retry, and consider whether the key has leaked"});
  }
  std::string content;
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error_number = errno;
      OPENSSL_cleanse(buffer, sizeof buffer);
      return IoError("cannot read", path, error_number);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  OPENSSL_cleanse(buffer, sizeof buffer);
  std::string spec(TrimWhitespace(content));
  OPENSSL_cleanse(content.data(), content.size());
  return spec;
}

// Opens an existing key file. Returns -1 with errno == ENOENT when there is none.
Result<int> OpenExisting(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0 || errno == ENOENT) return fd;
  if (errno == EACCES || errno == ELOOP) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"无法读取密钥文件 " + path.string() + "：" + std::strerror(errno),
                      "Cannot read the key file " + path.string() + ": " + std::strerror(errno)});
  }
  return IoError("cannot open", path, errno);
}

// Writes a fresh key to a private temporary file and links it into place. link() fails if the
// name exists, unlike rename(), which would silently replace a key another process created a
// moment ago and has perhaps already encrypted data with.
Result<bool> CreateKeyFile(const std::filesystem::path& dir, const std::filesystem::path& path) {
  std::filesystem::path temp = dir / (std::string(kMasterKeyFileName) + ".tmp-" + RandomToken(12));
  FileDescriptor file(
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (file.get() < 0) return IoError("cannot create", temp, errno);
  std::string key = RandomBytes(kFieldKeySize);
  std::string spec = "1:" + Base64Encode(key) + "\n";
  OPENSSL_cleanse(key.data(), key.size());
  // The umask may have cleared bits from 0600; set the exact mode the loader expects.
  bool written =
      ::fchmod(file.get(), 0600) == 0 && WriteAll(file.get(), spec) && ::fsync(file.get()) == 0;
  int error_number = errno;
  OPENSSL_cleanse(spec.data(), spec.size());
  if (!written || file.Close() != 0) {
    if (written) error_number = errno;
    ::unlink(temp.c_str());
    return IoError("cannot write", temp, error_number);
  }
  int linked = ::link(temp.c_str(), path.c_str());
  error_number = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (error_number == EEXIST) return false;
    return IoError("cannot link", path, error_number);
  }
  // The new name is only durable once the directory entry itself is on disk.
  FileDescriptor directory(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0 || ::fsync(directory.get()) != 0) {
    return IoError("cannot sync directory", dir, errno);
  }
  return true;
}

// The keys of a spec, first the active one, wiped when the holder goes.
struct ParsedKeys {
  std::vector<FieldKey> keys;
  ParsedKeys() = default;
  ParsedKeys(ParsedKeys&&) = default;
  ~ParsedKeys() {
    for (auto& key : keys) OPENSSL_cleanse(key.material.data(), key.material.size());
  }
};

Result<ParsedKeys> ParseSpec(std::string_view spec) {
  spec = TrimWhitespace(spec);
  if (spec.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"未配置主密钥（crypto.master_key / OPENCREDIT_MASTER_KEY）",
                      "No master key is configured (crypto.master_key / OPENCREDIT_MASTER_KEY)"});
  }
  ParsedKeys parsed;
  std::vector<FieldKey>& keys = parsed.keys;

  bool single =
      spec.find(',') == std::string_view::npos && spec.find(':') == std::string_view::npos;
  size_t position = 0;
  while (true) {
    ++position;
    size_t comma = spec.find(',');
    std::string_view entry = TrimWhitespace(spec.substr(0, comma));
    FieldKey key;
    std::string_view encoded = entry;
    if (single) {
      key.id = 1;
    } else {
      if (entry.empty()) return SpecError(position, "为空", "is empty");
      size_t colon = entry.find(':');
      if (colon == std::string_view::npos) {
        return SpecError(position, "缺少密钥编号，应为 编号:base64密钥",
                         "has no key id; expected id:base64key");
      }
      std::string_view id_text = TrimWhitespace(entry.substr(0, colon));
      auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), key.id);
      if (id_text.empty() || ec != std::errc() || end != id_text.data() + id_text.size()) {
        return SpecError(position, "的密钥编号不是 0 到 4294967295 之间的整数",
                         "has a key id that is not a whole number from 0 to 4294967295");
      }
      encoded = TrimWhitespace(entry.substr(colon + 1));
    }
    std::optional<std::string> material = Base64Decode(encoded);
    if (!material) {
      return SpecError(position, "不是有效的 base64 编码（需标准字母表并带 = 填充）",
                       "is not valid base64 (standard alphabet with = padding)");
    }
    key.material = std::move(*material);
    if (key.material.size() != kFieldKeySize) {
      std::string size = std::to_string(key.material.size());
      OPENSSL_cleanse(key.material.data(), key.material.size());
      return SpecError(position, "解码后为 " + size + " 字节，密钥必须为 32 字节",
                       "decodes to " + size + " bytes; a key must be 32 bytes");
    }
    for (const FieldKey& earlier : keys) {
      if (earlier.id == key.id) {
        OPENSSL_cleanse(key.material.data(), key.material.size());
        std::string id = std::to_string(key.id);
        return SpecError(position, "的密钥编号 " + id + " 与前面的项重复", "repeats key id " + id);
      }
    }
    keys.push_back(std::move(key));
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return parsed;
}

}  // namespace

Result<Keyring> KeyringFromConfig(std::string_view spec, CipherSuite suite) {
  ASSIGN_OR_RETURN(ParsedKeys parsed, ParseSpec(spec));
  const uint32_t active = parsed.keys.front().id;
  // Keyring::Create wipes the copies it receives; `parsed` wipes its own.
  return Keyring::Create(suite, parsed.keys, active);
}

Result<MacKeyring> MacKeyringFromConfig(std::string_view spec, CipherSuite suite,
                                        std::string_view purpose) {
  ASSIGN_OR_RETURN(ParsedKeys parsed, ParseSpec(spec));
  return MacKeyring::Derive(suite, parsed.keys, parsed.keys.front().id, purpose);
}

Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& data_dir, bool* created) {
  std::filesystem::path path = data_dir / kMasterKeyFileName;
  *created = false;
  // Two attempts: if another process creates the file between our open and our link, the second
  // pass reads the key it wrote.
  for (int attempt = 0; attempt < 2; ++attempt) {
    ASSIGN_OR_RETURN(int fd, OpenExisting(path));
    if (fd >= 0) {
      FileDescriptor file(fd);
      return ReadKeyFile(path, file.get());
    }
    RETURN_IF_ERROR(CreatePrivateDirectory(data_dir));
    ASSIGN_OR_RETURN(bool made, CreateKeyFile(data_dir, path));
    if (made) {
      ASSIGN_OR_RETURN(int new_fd, OpenExisting(path));
      if (new_fd < 0) return IoError("cannot open", path, ENOENT);
      FileDescriptor file(new_fd);
      ASSIGN_OR_RETURN(std::string spec, ReadKeyFile(path, file.get()));
      *created = true;
      return spec;
    }
  }
  return Internal("master key file: " + path.string() + " appeared and vanished during creation");
}

}  // namespace oc::crypto
