#include "api/todo_handlers.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <set>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/body_stream.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

runtime::UserRef Me(const Caller& caller) {
  return runtime::UserRef(caller.principal.user_id.value());
}

json::value LinkJson(const runtime::RecordLink& link,
                     const std::map<std::string, std::string>& labels) {
  if (link.entity_type.empty()) return nullptr;
  auto label = labels.find(link.entity_type + ":" + link.entity_id);
  return json::object{{"entity_type", link.entity_type},
                      {"entity_id", link.entity_id},
                      {"label", label == labels.end() ? "" : label->second}};
}

// The names staff read beside ids: the customers a page of to-dos or notifications links to, as
// far as the reader may see them, and the assignees.
class Labels {
 public:
  Labels(const ApiContext& ctx, customers::CustomerService& customers, const Caller& caller)
      : ctx_(ctx), customers_(customers), caller_(caller) {}

  Status Load(storage::Tx& tx, const std::vector<runtime::RecordLink>& links,
              const std::set<int64_t>& users) {
    std::vector<customers::CustomerId> ids;
    for (const runtime::RecordLink& link : links) {
      if (link.entity_type != "customer") continue;
      int64_t id = 0;
      const char* end = link.entity_id.data() + link.entity_id.size();
      auto [p, ec] = std::from_chars(link.entity_id.data(), end, id);
      if (ec == std::errc() && p == end) ids.emplace_back(id);
    }
    if (!ids.empty()) {
      // Customers outside the reader's scope keep no name: a to-do handed over does not reveal
      // one.
      ASSIGN_OR_RETURN(auto names, customers_.NamesOf(tx, caller_.principal, ids));
      for (const auto& [id, name] : names) links_["customer:" + std::to_string(id.value())] = name;
    }
    for (int64_t id : users) {
      if (id == caller_.principal.user_id.value()) {
        users_[id] = caller_.principal.display_name;
        continue;
      }
      auto user = ctx_.organization.GetUser(tx, auth::UserId(id));
      if (!user) {
        if (user.error().code == ErrorCode::kNotFound) continue;
        return user.error();
      }
      users_[id] = user->display_name;
    }
    return Ok();
  }

  // The same in a read of its own.
  Status Load(const std::vector<runtime::RecordLink>& links, const std::set<int64_t>& users) {
    return ctx_.db.Read([&](storage::Tx& tx) { return Load(tx, links, users); });
  }

  const std::map<std::string, std::string>& links() const { return links_; }
  std::string UserName(int64_t id) const {
    auto found = users_.find(id);
    return found == users_.end() ? "" : found->second;
  }

 private:
  const ApiContext& ctx_;
  customers::CustomerService& customers_;
  const Caller& caller_;
  std::map<std::string, std::string> links_;
  std::map<int64_t, std::string> users_;
};

json::object TodoJson(const runtime::Todo& todo, const Labels& labels) {
  return {
      {"id", todo.id.value()},
      {"title", todo.title},
      {"assignee_id", todo.assignee.value()},
      {"assignee_name", labels.UserName(todo.assignee.value())},
      {"due_at", InstantOrNull(todo.due_at)},
      {"link", LinkJson(todo.link, labels.links())},
      {"source", runtime::TodoSourceName(todo.source)},
      {"status", runtime::TodoStatusName(todo.status)},
      {"completion_note", todo.completion_note},
      {"created_at", FormatInstant(todo.created_at)},
      {"closed_at", InstantOrNull(todo.closed_at)},
      {"overdue", todo.overdue_by.has_value()},
      {"overdue_seconds",
       todo.overdue_by
           ? json::value(std::chrono::duration_cast<std::chrono::seconds>(*todo.overdue_by).count())
           : json::value(nullptr)}};
}

json::object NotificationJson(const runtime::Notification& n, const Labels& labels) {
  return {{"id", n.id.value()},
          {"title", n.title},
          {"body", n.body},
          {"link", LinkJson(n.link, labels.links())},
          {"created_at", FormatInstant(n.created_at)},
          {"read_at", InstantOrNull(n.read_at)}};
}

// One to-do answered with its labels, read in `tx` when the answer is part of a unit of work.
http::Response TodoResponse(int status, const runtime::Todo& todo, const ApiContext& ctx,
                            const TodoServices& services, const Caller& caller,
                            const http::Request& request, storage::Tx* tx = nullptr) {
  Labels labels(ctx, services.customers, caller);
  Status loaded = tx ? labels.Load(*tx, {todo.link}, {todo.assignee.value()})
                     : labels.Load({todo.link}, {todo.assignee.value()});
  if (!loaded) return ErrorResponse(loaded.error(), request);
  return http::JsonResponse(status, TodoJson(todo, labels));
}

// The record a new to-do links to, which the caller must be able to open. Only customers can be
// linked today; later modules add their records here.
Result<runtime::RecordLink> ReadLink(storage::Tx& tx, const json::value& object,
                                     customers::CustomerService& customers,
                                     const auth::Principal& principal) {
  JsonReader reader(object);
  auto type = reader.String("entity_type", true, 100);
  auto id = reader.String("entity_id", true, 100);
  if (Status read = reader.Finish(); !read) {
    Error error = read.error();
    for (FieldViolation& v : error.field_violations) v.field = "link." + v.field;
    return error;
  }
  if (*type != "customer") {
    return InvalidField(
        "link.entity_type", "unknown_entity",
        {"待办目前只能关联客户（customer）", "A to-do can link to a customer only"});
  }
  int64_t customer = 0;
  const char* end = id->data() + id->size();
  auto [p, ec] = std::from_chars(id->data(), end, customer);
  if (ec != std::errc() || p != end || customer <= 0 ||
      !customers.CheckVisible(tx, principal, customers::CustomerId(customer))) {
    return InvalidField(
        "link.entity_id", "not_found",
        {"找不到该客户，或不在您的数据范围内", "No such customer within your data scope"});
  }
  return runtime::RecordLink{*type, *id};
}

// A Server-Sent Events frame: the event's seq as its id, so that a reconnecting EventSource
// sends it back as Last-Event-ID.
std::string Frame(std::string_view event, std::optional<int64_t> id, const json::value& data) {
  std::string frame;
  if (id) frame += "id: " + std::to_string(*id) + "\n";
  frame += "event: ";
  frame += event;
  frame += "\ndata: " + json::serialize(data) + "\n\n";
  return frame;
}

}  // namespace

void AddTodoRoutes(http::Router& router, const ApiContext& ctx, const TodoServices& services) {
  const Guard& guard = ctx.guard;
  const Protection anyone{};

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/todos", anyone,
      {.id = "listTodos",
       .tag = "todos",
       .summary = "The caller's to-dos",
       .description = "status=open (default: soonest due first, those without a deadline last), "
                      "done or cancelled (most recently closed first).",
       .response = ListOf("Todo"),
       .query = {"status", "limit", "cursor"}},
      [&ctx, services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto paging = ReadPage(request, &error);
        if (!paging) return error;
        auto status = runtime::TodoStatus::kOpen;
        if (auto text = request.QueryParam("status")) {
          auto parsed = runtime::TodoStatusFromName(*text);
          if (!parsed) {
            return ErrorResponse(InvalidField("status", "invalid",
                                              {"status 须为 open、done 或 cancelled",
                                               "status must be open, done or cancelled"}),
                                 request);
          }
          status = *parsed;
        }
        auto page = services.todos.List(Me(caller), status, paging->after, paging->limit);
        if (!page) return ErrorResponse(page.error(), request);
        std::vector<runtime::RecordLink> links;
        for (const runtime::Todo& todo : page->items) links.push_back(todo.link);
        Labels labels(ctx, services.customers, caller);
        if (Status loaded = labels.Load(links, {caller.principal.user_id.value()}); !loaded) {
          return ErrorResponse(loaded.error(), request);
        }
        json::array items;
        for (const runtime::Todo& todo : page->items) items.push_back(TodoJson(todo, labels));
        return http::JsonResponse(200, ListBody(std::move(items), page->next_after));
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/todos/counts", anyone,
      {.id = "getTodoCounts",
       .tag = "todos",
       .summary = "How many open and overdue to-dos and unread notifications the caller has",
       .response = Object({{"open", Type("integer")},
                           {"overdue", Type("integer")},
                           {"unread_notifications", Type("integer")}},
                          {"open", "overdue", "unread_notifications"})},
      [services](http::Request& request, const Caller& caller) {
        auto counts = services.todos.CountsOf(Me(caller));
        if (!counts) return ErrorResponse(counts.error(), request);
        auto unread = services.notifications.UnreadCount(Me(caller));
        if (!unread) return ErrorResponse(unread.error(), request);
        return http::JsonResponse(200, json::object{{"open", counts->open},
                                                    {"overdue", counts->overdue},
                                                    {"unread_notifications", *unread}});
      });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/todos", anyone,
      {.id = "createTodo",
       .tag = "todos",
       .summary = "Make a to-do, for the caller or for someone the caller may hand customers to",
       .description = "Idempotency-Key replays the first response.",
       .request = Ref("TodoInput"),
       .success = 201,
       .response = Ref("Todo"),
       .idempotency_key = true},
      [&ctx, services](http::Request& request, const Caller& caller) {
        return services.idempotency.Run(
            request, caller.principal.user_id.value(), [&](storage::UnitOfWork& unit) {
              http::Response error;
              auto body = ObjectBody(request, &error);
              if (!body) return error;
              JsonReader reader(*body);
              runtime::NewTodo input{.assignee = Me(caller)};
              if (auto title = reader.String("title", true, 1000)) input.title = *title;
              if (auto due = reader.String("due_at", false, 64)) {
                Instant at;
                if (ParseInstant(*due, &at)) {
                  input.due_at = at;
                } else {
                  reader.AddViolation("due_at", "invalid",
                                      {"须为 RFC 3339 时间，如 2026-01-01T09:00:00+08:00",
                                       "must be an RFC 3339 time such as "
                                       "2026-01-01T09:00:00+08:00"});
                }
              }
              auto assignee = reader.Int("assignee_id", false);
              const json::object* link = reader.Object("link", false);
              if (Status read = reader.Finish(); !read) {
                return ErrorResponse(read.error(), request);
              }
              if (assignee && *assignee != caller.principal.user_id.value()) {
                if (*assignee <= 0 || !services.customers.CheckAssignable(
                                          unit.tx(), caller.principal, auth::UserId(*assignee))) {
                  return ErrorResponse(
                      InvalidField("assignee_id", "not_assignable",
                                   {"找不到该用户，或不在您可分派的范围内",
                                    "No such user among those you may assign work to"}),
                      request);
                }
                input.assignee = runtime::UserRef(*assignee);
              }
              if (link != nullptr) {
                auto read_link = ReadLink(unit.tx(), body->as_object().at("link"),
                                          services.customers, caller.principal);
                if (!read_link) return ErrorResponse(read_link.error(), request);
                input.link = std::move(*read_link);
              }
              auto created = services.todos.Create(unit, caller.actor, input);
              if (!created) return ErrorResponse(created.error(), request);
              if (created->created && input.assignee != Me(caller)) {
                // Work handed to someone else reaches them on the bell, not only in the list
                // they may not be looking at.
                auto told = services.notifications.Send(
                    unit, caller.actor,
                    {.recipient = input.assignee,
                     .title = caller.principal.display_name + " 给您安排了一项待办",
                     .body = input.title,
                     .link = {"todo", std::to_string(created->todo.id.value())},
                     .dedup_key = "todo.assigned:" + std::to_string(created->todo.id.value())});
                if (!told) return ErrorResponse(told.error(), request);
              }
              http::Response response =
                  TodoResponse(201, created->todo, ctx, services, caller, request, &unit.tx());
              response.Set("Location", "/api/v1/todos/" + std::to_string(created->todo.id.value()));
              return response;
            });
      });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/todos/{id}/complete", anyone,
                    {.id = "completeTodo",
                     .tag = "todos",
                     .summary = "Mark one of the caller's open to-dos done, saying what was done",
                     .request = Object({{"note", Type("string")}}),
                     .response = Ref("Todo")},
                    [&ctx, services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto body = ObjectBody(request, &error);
                      if (!body) return error;
                      JsonReader reader(*body);
                      auto note = reader.String("note", false, 4000, JsonReader::Lines::kMany);
                      if (Status read = reader.Finish(); !read)
                        return ErrorResponse(read.error(), request);
                      auto done = services.todos.Complete(caller.actor, Me(caller),
                                                          runtime::TodoId(*id), note.value_or(""));
                      if (!done) return ErrorResponse(done.error(), request);
                      return TodoResponse(200, *done, ctx, services, caller, request);
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/todos/{id}/cancel", anyone,
                    {.id = "cancelTodo",
                     .tag = "todos",
                     .summary = "Cancel one of the caller's open to-dos",
                     .response = Ref("Todo")},
                    [&ctx, services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto cancelled =
                          services.todos.Cancel(caller.actor, Me(caller), runtime::TodoId(*id));
                      if (!cancelled) return ErrorResponse(cancelled.error(), request);
                      return TodoResponse(200, *cancelled, ctx, services, caller, request);
                    });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/notifications", anyone,
                    {.id = "listNotifications",
                     .tag = "todos",
                     .summary = "The caller's notifications, newest first",
                     .description = "unread=true lists the unread ones only.",
                     .response = ListOf("Notification"),
                     .query = {"unread", "limit", "cursor"}},
                    [&ctx, services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto paging = ReadPage(request, &error);
                      if (!paging) return error;
                      const auto unread = request.QueryParam("unread");
                      if (unread && *unread != "true" && *unread != "false") {
                        return ErrorResponse(InvalidField("unread", "invalid",
                                                          {"unread 须为 true 或 false",
                                                           "unread must be true or false"}),
                                             request);
                      }
                      auto page = services.notifications.List(
                          Me(caller), unread && *unread == "true", paging->after, paging->limit);
                      if (!page) return ErrorResponse(page.error(), request);
                      std::vector<runtime::RecordLink> links;
                      for (const runtime::Notification& n : page->items) links.push_back(n.link);
                      Labels labels(ctx, services.customers, caller);
                      if (Status loaded = labels.Load(links, {}); !loaded) {
                        return ErrorResponse(loaded.error(), request);
                      }
                      json::array items;
                      for (const runtime::Notification& n : page->items) {
                        items.push_back(NotificationJson(n, labels));
                      }
                      return http::JsonResponse(200, ListBody(std::move(items), page->next_after));
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/notifications/{id}/read", anyone,
                    {.id = "readNotification",
                     .tag = "todos",
                     .summary = "Mark one of the caller's notifications read",
                     .response = Ref("Notification")},
                    [&ctx, services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto read = services.notifications.MarkRead(caller.actor, Me(caller),
                                                                  runtime::NotificationId(*id));
                      if (!read) return ErrorResponse(read.error(), request);
                      Labels labels(ctx, services.customers, caller);
                      if (Status loaded = labels.Load({read->link}, {}); !loaded) {
                        return ErrorResponse(loaded.error(), request);
                      }
                      return http::JsonResponse(200, NotificationJson(*read, labels));
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/notifications/read-all", anyone,
                    {.id = "readAllNotifications",
                     .tag = "todos",
                     .summary = "Mark every unread notification of the caller read",
                     .response = Object({{"marked", Type("integer")}}, {"marked"})},
                    [services](http::Request& request, const Caller& caller) {
                      auto marked = services.notifications.MarkAllRead(caller.actor, Me(caller));
                      if (!marked) return ErrorResponse(marked.error(), request);
                      return http::JsonResponse(200, json::object{{"marked", *marked}});
                    });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/live", anyone,
      {.id = "openLiveStream",
       .tag = "todos",
       .summary = "The caller's live events (Server-Sent Events)",
       .description =
           "text/event-stream. First `ready` with {position, resumed}; then one event per change "
           "of the caller's to-dos and notifications (todo.created, todo.completed, "
           "todo.cancelled, notification.created, notification.read), its seq as the id. A "
           "reconnecting client sends Last-Event-ID and gets what it missed; resumed=false says "
           "that was too long ago and the client should reload what it shows."},
      [services](http::Request& request, const Caller& caller) {
        std::optional<int64_t> last_seen;
        if (auto header = request.Header("Last-Event-ID"); header && !header->empty()) {
          int64_t seq = 0;
          auto [p, ec] = std::from_chars(header->data(), header->data() + header->size(), seq);
          // A Last-Event-ID this server did not send is a fresh start, not an error: the
          // browser repeats whatever it last saw.
          if (ec == std::errc() && p == header->data() + header->size() && seq >= 0) {
            last_seen = seq;
          }
        }
        auto stream = std::make_shared<http::BodyStream>(":\n\n");
        auto subscription = services.live.Subscribe(
            Me(caller), last_seen,
            [stream](const runtime::LiveEvent& event) {
              return stream->Write(Frame(event.type, event.seq, event.payload));
            },
            [stream](const runtime::LiveFeed::Subscription& opened) {
              // The browser waits 3 s before reconnecting after a dropped connection.
              stream->Write("retry: 3000\n" + Frame("ready", opened.position,
                                                    json::object{{"position", opened.position},
                                                                 {"resumed", opened.resumed}}));
            });
        if (!subscription) return ErrorResponse(subscription.error(), request);
        runtime::LiveFeed& live = services.live;
        stream->OnEnd([&live, id = subscription->id] { live.Unsubscribe(id); });
        http::Response response;
        response.status = 200;
        response.Set("Content-Type", "text/event-stream; charset=utf-8");
        response.Set("Cache-Control", "no-cache, no-store");
        // Proxies that buffer responses (nginx) would hold the events back.
        response.Set("X-Accel-Buffering", "no");
        response.stream = std::move(stream);
        return response;
      });
}

}  // namespace oc::api
