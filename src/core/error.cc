#include "core/error.h"

namespace oc {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kAborted: return "aborted";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kDeadlineExceeded: return "deadline_exceeded";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

const std::string& Message::In(std::string_view language) const {
  bool english = language.size() >= 2 && (language[0] == 'e' || language[0] == 'E') &&
                 (language[1] == 'n' || language[1] == 'N');
  if (english && !en_us.empty()) return en_us;
  return zh_cn.empty() ? en_us : zh_cn;
}

Error MakeError(ErrorCode code, Message message, std::string internal_detail) {
  return Error{code, std::move(message), {}, std::move(internal_detail)};
}

Error InvalidArgument(std::vector<FieldViolation> violations) {
  Error error{ErrorCode::kInvalidArgument,
              {"请求中有字段不合法", "Some fields of the request are invalid"},
              std::move(violations),
              {}};
  return error;
}

Error InvalidField(std::string field, std::string code, Message message) {
  return InvalidArgument({FieldViolation{std::move(field), std::move(code), std::move(message)}});
}

Error NotFound(Message message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}

Error Internal(std::string internal_detail) {
  return MakeError(ErrorCode::kInternal, {"服务器内部错误", "Internal server error"},
                   std::move(internal_detail));
}

}  // namespace oc
