#pragma once
// Serves the built web application from a directory: files by path with a Content-Type from the
// extension, hashed bundles under /assets/ with a year-long immutable cache, and index.html for
// every other unknown path so the client-side router can take it (single-page application).
// Reads files synchronously: call it from the worker pool, never from a network thread.
// Thread-safe (immutable after Open).

#include <filesystem>

#include "core/error.h"
#include "http/request.h"

namespace oc::http {

class StaticFiles {
 public:
  // Errors: kInvalidArgument when `root` is not an existing directory.
  static Result<StaticFiles> Open(const std::filesystem::path& root);

  // Answers a GET or HEAD for `request.path` (decoded). Never reads outside the root: the resolved
  // file (after symlinks) must lie inside it. 404 for a missing /assets/ file or when the
  // fallback index.html is missing.
  Response Serve(const Request& request) const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;  // canonical
};

// The Content-Type for a file name, by its extension; application/octet-stream when unknown.
std::string_view ContentTypeFor(const std::filesystem::path& file);

}  // namespace oc::http
