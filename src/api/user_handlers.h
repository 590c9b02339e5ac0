#pragma once
// /api/v1/users (administrators: user.admin).

#include <boost/json/object.hpp>

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddUserRoutes(http::Router& router, const ApiContext& context);

boost::json::object UserJson(const auth::User& user);

}  // namespace oc::api
