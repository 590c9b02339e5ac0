#pragma once
// Errors as values. Every fallible function returns Result<T> (or Status = Result<void>);
// exceptions never carry business outcomes. An Error carries a code that decides the HTTP status
// (one table in http/error_status.cc), a message safe to show a user in both interface languages,
// per-field violations for validation, and an internal detail that only ever reaches the logs.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

namespace oc {

enum class ErrorCode {
  kInvalidArgument,     // the caller sent something malformed or invalid
  kNotFound,            // no such record, or not visible to the caller
  kAlreadyExists,       // a unique key is taken
  kFailedPrecondition,  // valid request, wrong state (stale version, locked account)
  kAborted,             // concurrency conflict; retrying may succeed
  kPermissionDenied,    // authenticated but not allowed
  kUnauthenticated,     // no valid credentials
  kResourceExhausted,   // a limit or quota was hit
  kUnavailable,         // a dependency is down; retry later
  kDeadlineExceeded,    // ran out of time
  kInternal,            // a bug or an unexpected failure of ours
};

// Stable lower-case name ("invalid_argument"), used in logs and problem documents.
std::string_view ErrorCodeName(ErrorCode code);

// A user-facing text in both interface languages. Chosen per request by Accept-Language.
struct Message {
  std::string zh_cn;
  std::string en_us;

  const std::string& In(std::string_view language) const;  // "en…" → English, else Chinese
};

// One invalid input field: `field` is the JSON path ("address.city"), `code` a stable machine
// code ("invalid_checksum"), `message` what is wrong in words a person can act on.
struct FieldViolation {
  std::string field;
  std::string code;
  Message message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  Message message;
  std::vector<FieldViolation> field_violations;
  std::string internal_detail;  // logs only; never sent to a client
  // For kResourceExhausted / kUnavailable: when trying again can succeed (a locked account, a
  // rate limit). Sent as the Retry-After header.
  std::optional<std::chrono::seconds> retry_after;
  // Extension members of the problem document (RFC 9457 §3.2): machine-readable facts a client
  // acts on, such as the id of the existing record behind a duplicate ("existing_id": 42).
  std::map<std::string, std::variant<int64_t, std::string, bool>> extensions;

  // Chainable extras: Error{…}.WithDetail("sqlite: …").
  Error&& WithDetail(std::string detail) && {
    internal_detail = std::move(detail);
    return std::move(*this);
  }
};

template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  Result(Error error) : tl::expected<T, Error>(tl::unexpect, std::move(error)) {}  // NOLINT
};

using Status = Result<void>;

inline Status Ok() { return {}; }

// Short constructors for the common cases.
Error MakeError(ErrorCode code, Message message, std::string internal_detail = {});
Error InvalidArgument(std::vector<FieldViolation> violations);  // 422-style validation failure
Error InvalidField(std::string field, std::string code, Message message);
Error NotFound(Message message);
Error Internal(std::string internal_detail);  // shows a generic message, logs the detail

}  // namespace oc

#define OC_CONCAT_INNER_(a, b) a##b
#define OC_CONCAT_(a, b) OC_CONCAT_INNER_(a, b)

// Returns the error of a Status/Result expression from the enclosing function.
#define RETURN_IF_ERROR(expr)                                            \
  do {                                                                   \
    if (auto oc_status_ = (expr); !oc_status_) {                         \
      return ::oc::Error(std::move(oc_status_).error());                 \
    }                                                                    \
  } while (false)

// `ASSIGN_OR_RETURN(auto user, repo.GetUser(id));` — unwraps or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(OC_CONCAT_(oc_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)      \
  auto tmp = (expr);                                \
  if (!tmp) return ::oc::Error(std::move(tmp).error()); \
  lhs = std::move(*tmp)
