#pragma once
// GET /api/v1/audit-events (audit.read: auditors and administrators).

#include "api/api_context.h"
#include "forms/entity_registry.h"
#include "http/router.h"

namespace oc::api {

// GET /api/v1/audit-events for holders of audit.read; personal data in the changes of entries
// about records is shown masked as `entities` defines it today.
void AddAuditRoutes(http::Router& router, const ApiContext& context,
                    forms::EntityRegistry& entities);

}  // namespace oc::api
