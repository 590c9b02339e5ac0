#pragma once
// Each member of staff's own work and news: /api/v1/todos (我的待办), /api/v1/notifications (the
// bell) and /api/v1/live, the Server-Sent Events stream that tells the browser when either
// changed, so that no page polls.
//
// Every route is for any signed-in user and reaches only the caller's own to-dos and
// notifications. A to-do may be made for someone else only when the caller could hand them a
// customer (the caller's customer scope covers their department), and may link to a customer only
// when the caller sees that customer.

#include "api/api_context.h"
#include "api/idempotency.h"
#include "customers/customer_service.h"
#include "http/router.h"
#include "runtime/live_feed.h"
#include "runtime/notification_service.h"
#include "runtime/todo_service.h"

namespace oc::api {

struct TodoServices {
  runtime::TodoService& todos;
  runtime::NotificationService& notifications;
  runtime::LiveFeed& live;
  customers::CustomerService& customers;
  IdempotencyKeys& idempotency;
};

void AddTodoRoutes(http::Router& router, const ApiContext& context, const TodoServices& services);

}  // namespace oc::api
