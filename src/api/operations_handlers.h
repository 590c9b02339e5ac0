#pragma once
// Operations (运维), for holders of operations.admin: the deliveries of domain events that failed
// for good (/api/v1/outbox: list, inspect with their event, retry, discard) and the background
// jobs (/api/v1/jobs, /api/v1/job-runs: what runs when, how each run went, run now).

#include "api/api_context.h"
#include "http/router.h"
#include "runtime/event_log.h"
#include "runtime/outbox.h"
#include "runtime/scheduler.h"

namespace oc::api {

struct OperationsServices {
  const runtime::Outbox& outbox;
  const runtime::EventLog& events;
  runtime::Scheduler& scheduler;
  runtime::Dispatcher& dispatcher;
};

void AddOperationsRoutes(http::Router& router, const ApiContext& context,
                         const OperationsServices& services);

// The JSON of a job run, as the jobs API and the business-date API show it.
boost::json::object JobRunJson(const runtime::JobRunRecord& run);

}  // namespace oc::api
