#pragma once
// /api/v1/entities/{key}: the metadata of a metadata-driven entity, which the web forms render
// from (any signed-in user), and /api/v1/entities/{key}/fields, where an administrator adds a
// custom field (entity.admin).

#include "api/api_context.h"
#include "forms/entity_registry.h"
#include "http/router.h"

namespace oc::api {

// REQUIRES: `registry` outlives the router.
void AddEntityRoutes(http::Router& router, const ApiContext& context,
                     forms::EntityRegistry& registry);

}  // namespace oc::api
