// The one table from ErrorCode to HTTP status. Choices that are not obvious:
// - kInvalidArgument is 422 when the error names fields (the body parsed but its content failed
//   validation) and 400 when the request as a whole is malformed.
// - kFailedPrecondition is 409, not 412: it covers business-state conflicts such as a locked
//   account or an application that is not yet approved, which RFC 9110 §15.5.10 calls a conflict
//   with the current state of the resource. 412 is reserved for HTTP preconditions (a stale
//   If-Match), and 423 for WebDAV locks; handlers that mean those build the response themselves
//   with ProblemResponse(status, code, message, request).
// - kAborted (a lost optimistic-concurrency race) is 409 as well: the client may re-read and retry.
#include "http/error_status.h"

#include "http/json.h"

namespace oc::http {

int HttpStatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument: return error.field_violations.empty() ? 400 : 422;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Message StatusTitle(int status) {
  switch (status) {
    case 400: return {"请求无效", "Bad Request"};
    case 401: return {"未登录或登录已失效", "Unauthorized"};
    case 403: return {"无权访问", "Forbidden"};
    case 404: return {"未找到", "Not Found"};
    case 405: return {"不支持该请求方法", "Method Not Allowed"};
    case 408: return {"请求超时", "Request Timeout"};
    case 409: return {"与当前状态冲突", "Conflict"};
    case 412: return {"前置条件不满足", "Precondition Failed"};
    case 413: return {"请求体过大", "Content Too Large"};
    case 415: return {"不支持的内容类型", "Unsupported Media Type"};
    case 422: return {"请求内容校验失败", "Unprocessable Content"};
    case 423: return {"资源已锁定", "Locked"};
    case 428: return {"缺少前置条件", "Precondition Required"};
    case 429: return {"请求过于频繁", "Too Many Requests"};
    case 431: return {"请求头过大", "Request Header Fields Too Large"};
    case 500: return {"服务器内部错误", "Internal Server Error"};
    case 501: return {"功能未实现", "Not Implemented"};
    case 503: return {"服务暂不可用", "Service Unavailable"};
    case 504: return {"处理超时", "Gateway Timeout"};
    default: break;
  }
  if (status >= 500) return {"服务器错误", "Server Error"};
  return {"请求错误", "Client Error"};
}

}  // namespace oc::http
