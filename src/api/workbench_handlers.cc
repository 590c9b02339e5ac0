#include "api/workbench_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

void AddWorkbenchRoutes(http::Router& router, const ApiContext& ctx,
                        customers::FollowUpService& followups) {
  AddProtectedRoute(
      router, ctx.guard, http::Method::kGet, "/api/v1/workbench", {},
      {.id = "getWorkbench",
       .tag = "workbench",
       .summary = "The signed-in user's workbench counts",
       .description = "Counts over the caller's own customers, dates in the business zone; zeros "
                      "for a caller who reads no customers.",
       .response = Ref("Workbench")},
      [&followups](http::Request& request, const Caller& caller) {
        auto agenda = followups.AgendaOf(caller.principal);
        if (!agenda) return ErrorResponse(agenda.error(), request);
        return http::JsonResponse(
            200,
            boost::json::object{{"business_date", agenda->business_date.ToString()},
                                {"my_customers", agenda->my_customers},
                                {"followups_due_today", agenda->followups_due_today},
                                {"followups_overdue", agenda->followups_overdue},
                                {"new_customers_this_month", agenda->new_customers_this_month}});
      });
}

}  // namespace oc::api
