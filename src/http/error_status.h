#pragma once
// The HTTP side of errors: the status for each ErrorCode (HttpStatusFor, declared in json.h) and
// the short title of each status used in problem documents. Both tables live in error_status.cc.

#include "core/error.h"

namespace oc::http {

// The status's title in both interface languages ("未找到" / "Not Found"). Problem documents use
// type "about:blank", for which RFC 9457 §4.2.1 makes the title the status phrase.
Message StatusTitle(int status);

}  // namespace oc::http
