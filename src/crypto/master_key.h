#pragma once
// Where the field-encryption master keys come from: the OPENCREDIT_MASTER_KEY environment
// variable or the configuration file's crypto.master_key, and, for a zero-configuration start,
// a key file that is created on first run under the data directory.
//
// Key spec format: one or more `id:base64key` entries separated by commas, the first being the
// active key, e.g. "2:<base64>,1:<base64>"; a bare base64 string means key id 1. Each key is 32
// random bytes in standard base64 with padding. Rotation: prepend a new key with a higher id and
// keep the old ones. The lowest id is the blind-index key and must stay for as long as data
// indexed under it exists (see Keyring::index_key_id).
//
// Nodes of one deployment must share the same spec, so a multi-node deployment configures it
// explicitly rather than letting each node create its own key file.
// All functions are thread-safe. No message or detail ever contains key material.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"
#include "crypto/field_cipher.h"
#include "crypto/mac_keyring.h"

namespace oc::crypto {

// The key file's name inside the data directory.
inline constexpr std::string_view kMasterKeyFileName = "master.key";

// Parses a key spec (surrounding whitespace is ignored) into a Keyring for `suite`.
// Errors: kInvalidArgument naming the entry and the problem — empty spec, an empty entry, an id
// that is not a decimal number below 2^32, a key that is not valid base64, a key that is not 32
// bytes, a duplicate id; kFailedPrecondition as Keyring::Create.
Result<Keyring> KeyringFromConfig(std::string_view spec, CipherSuite suite);

// The MAC keys for `purpose` (MacKeyring::kAuditChain) derived from the same spec, the first
// entry's key active. Errors: as KeyringFromConfig.
Result<MacKeyring> MacKeyringFromConfig(std::string_view spec, CipherSuite suite,
                                        std::string_view purpose);

// Returns the key spec stored in DATA_DIR/master.key. When the file does not exist, creates the
// directory if needed (mode 0700) and the file with mode 0600 holding one fresh random key with id
// 1, and sets *created to true (false when an existing file was read). Creation is atomic: two
// processes starting at once on an empty data directory end up using the same key. Errors:
// kFailedPrecondition when the file is readable or writable by group or others (the message says to
// run chmod 600), is not a regular file, or cannot be read for lack of permission; kUnavailable
// when the directory cannot be created; kInternal on other I/O failures. The content is not
// validated: pass it to KeyringFromConfig. REQUIRES: created != nullptr.
Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& data_dir, bool* created);

}  // namespace oc::crypto
