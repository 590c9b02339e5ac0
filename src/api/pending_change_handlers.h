#pragma once
// /api/v1/pending-changes: privileged changes waiting for a second administrator (see
// auth/organization_service.h, "Separation of duties"). Holders of user.read see them and may
// reject or withdraw them; holders of role.admin approve them.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddPendingChangeRoutes(http::Router& router, const ApiContext& context);

boost::json::object PendingChangeJson(const auth::PendingChange& change);
boost::json::array PendingChangesJson(const std::vector<auth::PendingChange>& changes);

}  // namespace oc::api
