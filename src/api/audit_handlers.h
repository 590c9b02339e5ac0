#pragma once
// GET /api/v1/audit-events (audit.read: auditors and administrators).

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddAuditRoutes(http::Router& router, const ApiContext& context);

}  // namespace oc::api
