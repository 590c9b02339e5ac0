#pragma once
// /api/v1/roles (role.admin) and /api/v1/permissions, the catalogue a role editor offers.

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddRoleRoutes(http::Router& router, const ApiContext& context);

}  // namespace oc::api
