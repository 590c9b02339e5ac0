#pragma once
// The business date (营业日) and the business calendars: GET /api/v1/business-date for everyone
// (the top bar shows it), and for holders of calendar.admin moving it forward and keeping the
// calendars — the work week, the working hours, the holidays and make-up working days (调休), a
// whole year imported at once when the State Council publishes it.

#include "api/api_context.h"
#include "http/router.h"
#include "runtime/business_calendar.h"
#include "runtime/business_date.h"

namespace oc::api {

struct CalendarServices {
  runtime::BusinessCalendarService& calendars;
  runtime::BusinessDateService& business_date;
  std::string calendar_key;  // the calendar the business date follows
};

void AddCalendarRoutes(http::Router& router, const ApiContext& context,
                       const CalendarServices& services);

}  // namespace oc::api
