#pragma once
// Files that hold personal data or keys are readable by the service's own account only, whatever
// the umask of whoever started it (等保 2.0: access control on stored data; JR/T 0171-2020:
// protection of stored personal financial information). The data directory is 0700; the database,
// its write-ahead log and shared-memory files, key files and, later, attachments are 0600.
// Thread-safe; blocking file-system calls.

#include <filesystem>

#include "core/error.h"

namespace oc {

// Creates `dir` and any missing parents; the directory itself (not its parents) is created with
// mode 0700 whatever the umask. An existing directory is left as it is, since an operator may
// have chosen its mode and its place (a mount point) deliberately.
// Errors: kUnavailable naming the path, when it cannot be created or is not a directory.
Status CreatePrivateDirectory(const std::filesystem::path& dir);

// Makes `file` readable and writable by its owner only (0600): creates it empty when it does not
// exist, and narrows the mode of an existing one. Symbolic links are not followed.
// Errors: kUnavailable naming the path.
Status MakePrivateFile(const std::filesystem::path& file);

}  // namespace oc
