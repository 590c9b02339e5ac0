#pragma once
// /api/v1/workbench: what each member of staff lands on after signing in (工作台). Today the
// counts of their own customers and follow-ups; the to-dos, approvals and dashboards of the
// engines join it as they arrive.

#include "api/api_context.h"
#include "customers/followup_service.h"
#include "http/router.h"

namespace oc::api {

void AddWorkbenchRoutes(http::Router& router, const ApiContext& context,
                        customers::FollowUpService& followups);

}  // namespace oc::api
