#pragma once
// GET /healthz: the process answers (served on the network thread, never blocks).
// GET /readyz: the database answers too; 503 otherwise, so a load balancer stops sending traffic.

#include "http/router.h"
#include "storage/db.h"

namespace oc::api {

void AddHealthRoutes(http::Router& router, storage::Db& db);

}  // namespace oc::api
