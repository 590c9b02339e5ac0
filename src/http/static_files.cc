#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "http/json.h"

namespace oc::http {
namespace {

namespace fs = std::filesystem;

// Vite names bundles by content hash, so a changed file gets a new name and old names never change.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// index.html names the current bundles; the browser must revalidate it on every load.
constexpr std::string_view kRevalidate = "no-cache";

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array<TypeByExtension, 22> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
}};

bool IsInside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), candidate.begin(),
                                          candidate.end());
  return root_end == root.end();
}

std::optional<std::string> ReadFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return content;
}

}  // namespace

std::string_view ContentTypeFor(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const TypeByExtension& entry : kContentTypes) {
    if (entry.extension == extension) return entry.content_type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Open(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"静态文件目录不存在", "The static file directory does not exist"},
                     "static_dir " + root.string() + ": " + ec.message());
  }
  return StaticFiles(std::move(canonical));
}

Response StaticFiles::Serve(const Request& request) const {
  std::string_view path = request.path;
  bool asset = path.starts_with("/assets/");
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);

  fs::path file;
  std::error_code ec;
  if (!path.empty() && path.back() != '/') {
    // The decoder already refused ".." segments; resolving symlinks and checking the prefix also
    // keeps out a link inside the directory that points elsewhere.
    fs::path resolved = fs::weakly_canonical(root_ / fs::path(path), ec);
    if (!ec && IsInside(root_, resolved) && fs::is_regular_file(resolved, ec)) file = resolved;
  }
  if (file.empty() && asset) {
    return ProblemResponse(404, "not_found", {"文件不存在", "No such file"}, request);
  }
  bool fallback = file.empty();
  if (fallback) file = root_ / "index.html";

  std::optional<std::string> content = ReadFile(file);
  if (!content) {
    return ProblemResponse(404, "not_found", {"页面不存在", "No such page"}, request);
  }
  Response response;
  response.body = std::move(*content);
  response.Set("Content-Type", std::string(ContentTypeFor(file)));
  response.Set("Cache-Control", std::string(asset && !fallback ? kImmutable : kRevalidate));
  return response;
}

}  // namespace oc::http
