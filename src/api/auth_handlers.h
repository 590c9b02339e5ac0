#pragma once
// /api/v1/auth: sign-in, sign-out, the current user, own password and preferences.

#include <boost/json/object.hpp>

#include "api/api_context.h"
#include "http/router.h"

namespace oc::api {

void AddAuthRoutes(http::Router& router, const ApiContext& context);

// The signed-in user as the web app sees it (also used by the user handlers' tests).
boost::json::object PrincipalJson(const auth::Principal& principal);

}  // namespace oc::api
