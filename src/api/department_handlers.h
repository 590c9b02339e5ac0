#pragma once
// /api/v1/departments: the organisation tree. Any signed-in user may read it (pickers need it);
// changes need department.admin.

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddDepartmentRoutes(http::Router& router, const ApiContext& context);

}  // namespace oc::api
