#include "api/operations_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

json::object DeliveryJson(const runtime::DeliveryRecord& d) {
  return {{"id", d.id},
          {"event_seq", d.event_seq},
          {"event_type", d.event_type},
          {"stream_type", d.stream_type},
          {"stream_id", d.stream_id},
          {"consumer", d.consumer},
          {"idem_key", d.idem_key},
          {"status", runtime::DeliveryStatusName(d.status)},
          {"attempts", d.attempts},
          {"last_error", d.last_error},
          {"created_at", FormatInstant(d.created_at)},
          {"due_at", FormatInstant(d.due_at)},
          {"finished_at", InstantOrNull(d.finished_at)}};
}

json::object EventJson(const runtime::StoredEvent& e) {
  return {
      {"seq", e.seq},
      {"type", e.type},
      {"stream_type", e.stream_type},
      {"stream_id", e.stream_id},
      {"payload", e.payload},
      {"actor_user_id", e.actor_user_id ? json::value(*e.actor_user_id) : json::value(nullptr)},
      {"actor", e.actor_name},
      {"occurred_at", FormatInstant(e.at)},
      {"correlation_id", e.correlation_id},
      {"causation_seq", e.causation_seq ? json::value(*e.causation_seq) : json::value(nullptr)}};
}

json::object JobJson(const runtime::JobInfo& job, std::string_view language) {
  return {
      {"key", job.key},
      {"label", job.label.In(language)},
      {"schedule", job.schedule},
      {"schedule_label", job.schedule_label.In(language)},
      {"catch_up", runtime::CatchUpName(job.catch_up)},
      {"working_days_only", job.working_days_only},
      {"next_fire_at", InstantOrNull(job.next_fire_at)},
      {"last_run", job.last_run ? json::value(JobRunJson(*job.last_run)) : json::value(nullptr)}};
}

// The list filter's `status`, or the 400 naming it.
template <typename Status>
std::optional<std::optional<Status>> StatusParam(
    const http::Request& request, std::optional<Status> (*from_name)(std::string_view),
    std::string_view allowed, http::Response* error) {
  auto text = request.QueryParam("status");
  if (!text || text->empty()) return std::optional<Status>();
  if (auto status = from_name(*text)) return status;
  *error = ErrorResponse(InvalidField("status", "invalid",
                                      {"status 须为 " + std::string(allowed) + " 之一",
                                       "status must be one of " + std::string(allowed)}),
                         request);
  return std::nullopt;
}

}  // namespace

json::object JobRunJson(const runtime::JobRunRecord& run) {
  json::value progress = nullptr;
  if (run.progress) {
    progress = json::object{
        {"done", run.progress->done},
        {"total", run.progress->total ? json::value(*run.progress->total) : json::value(nullptr)},
        {"rate_per_second", run.progress->rate_per_second},
        {"eta_seconds", run.progress->eta_seconds ? json::value(*run.progress->eta_seconds)
                                                  : json::value(nullptr)},
        {"updated_at", FormatInstant(run.progress->updated_at)}};
  }
  return {{"id", run.id},
          {"job_key", run.job_key},
          {"scheduled_for", FormatInstant(run.scheduled_for)},
          {"manual", run.manual},
          {"requested_by", run.requested_by},
          {"status", runtime::JobRunStatusName(run.status)},
          {"attempts", run.attempts},
          {"started_at", InstantOrNull(run.started_at)},
          {"finished_at", InstantOrNull(run.finished_at)},
          {"duration_ms", run.duration_ms ? json::value(*run.duration_ms) : json::value(nullptr)},
          {"error", run.error},
          {"progress", std::move(progress)}};
}

void AddOperationsRoutes(http::Router& router, const ApiContext& ctx,
                         const OperationsServices& services) {
  const Guard& guard = ctx.guard;
  const Protection admin{.permission = auth::Permission::kOperationsAdmin};

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/outbox", admin,
      {.id = "listDeliveries",
       .tag = "operations",
       .summary = "Deliveries of domain events to their consumers, newest first",
       .description = "status=pending|leased|done|dead|discarded; consumer= the consumer's name.",
       .response = ListOf("Delivery"),
       .query = {"status", "consumer", "limit", "cursor"}},
      [&ctx, services](http::Request& request, const Caller&) {
        http::Response error;
        auto page = ReadPage(request, &error);
        if (!page) return error;
        auto status =
            StatusParam<runtime::DeliveryStatus>(request, runtime::DeliveryStatusFromName,
                                                 "pending, leased, done, dead, discarded", &error);
        if (!status) return error;
        runtime::DeliveryFilter filter{
            .status = *status,
            .consumer = std::string(request.QueryParam("consumer").value_or("")),
            .before_id = page->after,
            .limit = page->limit + 1};
        auto rows = services.outbox.List(ctx.db, filter);
        if (!rows) return ErrorResponse(rows.error(), request);
        const std::optional<int64_t> next =
            TrimPage(*rows, page->limit, [](const auto& row) { return row.id; });
        json::array items;
        for (const runtime::DeliveryRecord& d : *rows) items.push_back(DeliveryJson(d));
        return http::JsonResponse(200, ListBody(std::move(items), next));
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/outbox/{id}", admin,
      {.id = "getDelivery",
       .tag = "operations",
       .summary = "One delivery with the event it carries",
       .response = Ref("DeliveryDetail")},
      [&ctx, services](http::Request& request, const Caller&) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto detail = ctx.db.ReadValue<json::object>([&](storage::Tx& tx) -> Result<json::object> {
          ASSIGN_OR_RETURN(runtime::DeliveryRecord delivery, services.outbox.Get(tx, *id));
          ASSIGN_OR_RETURN(runtime::StoredEvent event, services.events.Get(tx, delivery.event_seq));
          json::object out = DeliveryJson(delivery);
          out["event"] = EventJson(event);
          return out;
        });
        if (!detail) return ErrorResponse(detail.error(), request);
        return http::JsonResponse(200, *detail);
      });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/outbox/{id}/retry", admin,
      {.id = "retryDelivery",
       .tag = "operations",
       .summary = "Put a dead or discarded delivery back in the queue, due now, attempts reset",
       .response = Ref("Delivery")},
      [&ctx, services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto retried = ctx.db.WriteValue<runtime::DeliveryRecord>([&](storage::Tx& tx) {
          return services.outbox.Retry(tx, ctx.audit, caller.actor, *id);
        });
        if (!retried) return ErrorResponse(retried.error(), request);
        services.dispatcher.Wake();
        return http::JsonResponse(200, DeliveryJson(*retried));
      });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/outbox/{id}/discard", admin,
      {.id = "discardDelivery",
       .tag = "operations",
       .summary = "Give up a dead delivery for good, saying why",
       .request = Object({{"reason", Type("string")}}, {"reason"}),
       .response = Ref("Delivery")},
      [&ctx, services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto body = http::ParseJsonBody(request);
        if (!body) return body.error();
        JsonReader reader(*body);
        auto reason = reader.String("reason", true, 1000);
        if (Status read = reader.Finish(); !read) return ErrorResponse(read.error(), request);
        auto discarded = ctx.db.WriteValue<runtime::DeliveryRecord>([&](storage::Tx& tx) {
          return services.outbox.Discard(tx, ctx.audit, caller.actor, *id, *reason);
        });
        if (!discarded) return ErrorResponse(discarded.error(), request);
        return http::JsonResponse(200, DeliveryJson(*discarded));
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/jobs", admin,
      {.id = "listJobs",
       .tag = "operations",
       .summary = "The background jobs, with their schedule, next firing and last run",
       .response = Object({{"items", ArrayOf(Ref("Job"))}}, {"items"})},
      [services](http::Request& request, const Caller&) {
        auto jobs = services.scheduler.Jobs();
        if (!jobs) return ErrorResponse(jobs.error(), request);
        json::array items;
        for (const runtime::JobInfo& job : *jobs) items.push_back(JobJson(job, request.Language()));
        return http::JsonResponse(200, json::object{{"items", std::move(items)}});
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/job-runs", admin,
      {.id = "listJobRuns",
       .tag = "operations",
       .summary = "Job runs, newest first, with their outcome, duration and progress",
       .description = "job_key= one job; status=pending|running|succeeded|failed|dead.",
       .response = ListOf("JobRun"),
       .query = {"job_key", "status", "limit", "cursor"}},
      [services](http::Request& request, const Caller&) {
        http::Response error;
        auto page = ReadPage(request, &error);
        if (!page) return error;
        auto status =
            StatusParam<runtime::JobRunStatus>(request, runtime::JobRunStatusFromName,
                                               "pending, running, succeeded, failed, dead", &error);
        if (!status) return error;
        runtime::JobRunFilter filter{
            .job_key = std::string(request.QueryParam("job_key").value_or("")),
            .status = *status,
            .before_id = page->after,
            .limit = page->limit + 1};
        auto runs = services.scheduler.Runs(filter);
        if (!runs) return ErrorResponse(runs.error(), request);
        const std::optional<int64_t> next =
            TrimPage(*runs, page->limit, [](const auto& row) { return row.id; });
        json::array items;
        for (const runtime::JobRunRecord& run : *runs) items.push_back(JobRunJson(run));
        return http::JsonResponse(200, ListBody(std::move(items), next));
      });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/job-runs/{id}", admin,
                    {.id = "getJobRun",
                     .tag = "operations",
                     .summary = "One job run, with its progress while it runs",
                     .response = Ref("JobRun")},
                    [&ctx, services](http::Request& request, const Caller&) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto run = ctx.db.ReadValue<runtime::JobRunRecord>(
                          [&](storage::Tx& tx) { return services.scheduler.GetRun(tx, *id); });
                      if (!run) return ErrorResponse(run.error(), request);
                      return http::JsonResponse(200, JobRunJson(*run));
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/jobs/{key}/run", admin,
                    {.id = "runJobNow",
                     .tag = "operations",
                     .summary = "Run a job now, outside its schedule",
                     .success = 202,
                     .response = Ref("JobRun")},
                    [&ctx, services](http::Request& request, const Caller& caller) {
                      const std::string key(request.PathParam("key"));
                      auto run = ctx.db.WriteValue<runtime::JobRunRecord>([&](storage::Tx& tx) {
                        return services.scheduler.RunNow(tx, ctx.audit, caller.actor, key);
                      });
                      if (!run) return ErrorResponse(run.error(), request);
                      services.scheduler.Wake();
                      http::Response response = http::JsonResponse(202, JobRunJson(*run));
                      response.Set("Location", "/api/v1/job-runs/" + std::to_string(run->id));
                      return response;
                    });
}

}  // namespace oc::api
