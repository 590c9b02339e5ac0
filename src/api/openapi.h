#pragma once
// The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json. The web app's API types are
// generated from it, and a test checks that every registered route is documented and every
// documented route exists, so it cannot drift from the server.

#include <boost/json/value.hpp>

#include "http/router.h"

namespace oc::api {

boost::json::value OpenApiDocument();

void AddOpenApiRoute(http::Router& router);

}  // namespace oc::api
