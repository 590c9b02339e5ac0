#pragma once
// GET /api/v1/audit-events (audit.read: auditors and administrators).

#include "api/api_context.h"
#include "customers/customer_service.h"
#include "forms/entity_registry.h"
#include "http/router.h"

namespace oc::api {

// GET /api/v1/audit-events for holders of audit.read; personal data in the changes of entries
// about records is shown masked as `entities` defines it today. Each entry names its action and
// its object in the reader's language ("登录", "客户 张三"); customers outside the reader's
// scope keep their number only. GET /api/v1/audit-actions lists the actions for filters.
void AddAuditRoutes(http::Router& router, const ApiContext& context,
                    forms::EntityRegistry& entities, customers::CustomerService& customers);

}  // namespace oc::api
