#pragma once
// /api/v1/customers: the customer registry, its related parties, follow-ups and timeline.

#include "api/api_context.h"
#include "api/idempotency.h"
#include "customers/customer_service.h"
#include "customers/followup_service.h"
#include "customers/relationship_service.h"
#include "http/router.h"

namespace oc::api {

struct CustomerServices {
  customers::CustomerService& customers;
  customers::RelationshipService& relationships;
  customers::FollowUpService& followups;
  IdempotencyKeys& idempotency;
};

void AddCustomerRoutes(http::Router& router, const ApiContext& context,
                       const CustomerServices& services);

}  // namespace oc::api
