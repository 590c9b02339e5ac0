#include "api/calendar_handlers.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

json::array WorkWeekJson(uint8_t work_week) {
  json::array days;
  for (int d = 0; d < 7; ++d) {
    if ((work_week >> d) & 1u) days.emplace_back(d + 1);
  }
  return days;
}

json::object CalendarJson(const runtime::CalendarInfo& info, std::string_view language) {
  json::array hours;
  for (const runtime::WorkingPeriod& p : info.working_hours) {
    hours.push_back(json::object{{"start", runtime::FormatTimeOfDay(p.start)},
                                 {"end", runtime::FormatTimeOfDay(p.end)}});
  }
  return {{"key", info.key},
          {"name", info.name.In(language)},
          {"name_zh", info.name.zh_cn},
          {"name_en", info.name.en_us},
          {"time_zone", info.zone.name()},
          {"work_week", WorkWeekJson(info.work_week)},
          {"working_hours", std::move(hours)},
          {"version", info.version},
          {"updated_at", FormatInstant(info.updated_at)}};
}

json::object DayJson(const runtime::CalendarDay& day) {
  return {{"date", day.day.ToString()},
          {"kind", runtime::CalendarDayKindName(day.kind)},
          {"name", day.name}};
}

json::object ChangeJson(const runtime::BusinessDateChange& change, std::string_view language) {
  return {{"from", change.from.ToString()},
          {"to", change.to.ToString()},
          {"how", runtime::BusinessDateHowName(change.how)},
          {"advanced", change.advanced},
          {"summary", change.summary.In(language)}};
}

http::Response CalendarResponse(int status, const runtime::CalendarInfo& info,
                                const http::Request& request) {
  http::Response response = http::JsonResponse(status, CalendarJson(info, request.Language()));
  response.Set("ETag", ETag(info.version));
  return response;
}

FieldViolation Violation(std::string field, std::string code, Message message) {
  return {std::move(field), std::move(code), std::move(message)};
}

// An ISO weekday list [1 … 7] as the calendar's bit mask. Records a violation on `field`.
std::optional<int> ReadWorkWeek(const json::value& value, std::string field,
                                std::vector<FieldViolation>& violations) {
  if (!value.is_array()) {
    violations.push_back(Violation(field, "invalid",
                                   {"须为星期的数组，1 为周一、7 为周日",
                                    "must be an array of weekdays, 1 Monday "
                                    "to 7 Sunday"}));
    return std::nullopt;
  }
  int mask = 0;
  for (const json::value& day : value.as_array()) {
    if (!day.is_int64() || day.as_int64() < 1 || day.as_int64() > 7) {
      violations.push_back(Violation(field, "invalid",
                                     {"星期须为 1（周一）到 7（周日）的整数",
                                      "each weekday must be an integer from 1 "
                                      "(Monday) to 7 (Sunday)"}));
      return std::nullopt;
    }
    mask |= 1 << (day.as_int64() - 1);
  }
  return mask;
}

// [{"start": "09:00", "end": "12:00"}, …] as the service reads working hours.
std::optional<std::vector<runtime::WorkingPeriodText>> ReadWorkingHours(
    const json::value& value, std::vector<FieldViolation>& violations) {
  auto bad = [&](std::string field) {
    violations.push_back(Violation(std::move(field), "invalid",
                                   {"须为 {\"start\": \"09:00\", \"end\": \"12:00\"} 形式的时段",
                                    "must be periods like {\"start\": \"09:00\", \"end\": "
                                    "\"12:00\"}"}));
    return std::nullopt;
  };
  if (!value.is_array() || value.as_array().size() > 8) return bad("working_hours");
  std::vector<runtime::WorkingPeriodText> periods;
  for (size_t i = 0; i < value.as_array().size(); ++i) {
    const json::value& period = value.as_array()[i];
    const json::value* start =
        period.is_object() ? period.as_object().if_contains("start") : nullptr;
    const json::value* end = period.is_object() ? period.as_object().if_contains("end") : nullptr;
    if (!start || !end || !start->is_string() || !end->is_string() ||
        period.as_object().size() != 2) {
      return bad("working_hours[" + std::to_string(i) + "]");
    }
    periods.emplace_back(std::string(start->as_string()), std::string(end->as_string()));
  }
  return periods;
}

std::optional<runtime::CalendarDayKind> ReadKind(const json::value* value, std::string field,
                                                 std::vector<FieldViolation>& violations) {
  std::optional<runtime::CalendarDayKind> kind;
  if (value && value->is_string()) kind = runtime::CalendarDayKindFromName(value->as_string());
  if (!kind) {
    violations.push_back(
        Violation(std::move(field), "invalid",
                  {"须为 holiday（休）或 workday（班）", "must be holiday or workday"}));
  }
  return kind;
}

std::optional<Date> DatePath(const http::Request& request, http::Response* error) {
  auto date = Date::Parse(request.PathParam("date"));
  if (!date) {
    *error = ErrorResponse(InvalidField("date", "invalid_date",
                                        {"日期须为 YYYY-MM-DD", "The date must be YYYY-MM-DD"}),
                           request);
  }
  return date;
}

std::optional<int> YearOf(std::string_view text) {
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return year;
}

http::Response YearError(const http::Request& request) {
  return ErrorResponse(
      InvalidField("year", "invalid",
                   {"年份须为整数，如 2027", "The year must be an integer such as 2027"}),
      request);
}

}  // namespace

void AddCalendarRoutes(http::Router& router, const ApiContext& ctx,
                       const CalendarServices& services) {
  const Guard& guard = ctx.guard;
  const Protection admin{.permission = auth::Permission::kCalendarAdmin};

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/business-date", {},
                    {.id = "getBusinessDate",
                     .tag = "calendar",
                     .summary = "The business date (营业日) every credit calculation reads",
                     .response = Ref("BusinessDate")},
                    [services](http::Request& request, const Caller&) {
                      auto today = services.business_date.Current();
                      if (!today) return ErrorResponse(today.error(), request);
                      auto calendar = services.calendars.View(services.calendar_key);
                      if (!calendar) return ErrorResponse(calendar.error(), request);
                      return http::JsonResponse(
                          200, json::object{{"date", today->ToString()},
                                            {"calendar_key", services.calendar_key},
                                            {"is_working_day", (*calendar)->IsWorkingDay(*today)},
                                            {"next_working_day",
                                             (*calendar)->NextWorkingDay(*today).ToString()}});
                    });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/business-date/advance", admin,
      {.id = "advanceBusinessDate",
       .tag = "calendar",
       .summary = "Move the business date forward, to a working day",
       .description = "to= the new date (a working day after the current one); without it, the "
                      "next working day. Audited.",
       .request = Object({{"to", Nullable("string")}}),
       .response = Ref("BusinessDateChange")},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto body = ObjectBody(request, &error);
        if (!body) return error;
        JsonReader reader(*body);
        auto text = reader.String("to", false, 20);
        std::optional<Date> to;
        if (text) {
          to = Date::Parse(*text);
          if (!to) {
            reader.AddViolation("to", "invalid_date",
                                {"须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD"});
          }
        }
        if (Status read = reader.Finish(); !read) return ErrorResponse(read.error(), request);
        auto change = services.business_date.Advance(caller.actor, to);
        if (!change) return ErrorResponse(change.error(), request);
        return http::JsonResponse(200, ChangeJson(*change, request.Language()));
      });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/business-date/history", admin,
                    {.id = "listBusinessDateHistory",
                     .tag = "calendar",
                     .summary = "How the business date moved, newest first",
                     .response = Object({{"items", ArrayOf(Ref("BusinessDateMove"))}}, {"items"}),
                     .query = {"limit"}},
                    [services](http::Request& request, const Caller&) {
                      int limit = 50;
                      if (auto v = request.QueryParam("limit")) {
                        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
                        if (ec != std::errc() || end != v->data() + v->size()) limit = 0;
                      }
                      auto moves = services.business_date.History(limit);
                      if (!moves) return ErrorResponse(moves.error(), request);
                      json::array items;
                      for (const runtime::BusinessDateHistoryEntry& m : *moves) {
                        items.push_back(json::object{{"id", m.id},
                                                     {"from", m.from.ToString()},
                                                     {"to", m.to.ToString()},
                                                     {"how", runtime::BusinessDateHowName(m.how)},
                                                     {"actor", m.actor},
                                                     {"at", FormatInstant(m.at)}});
                      }
                      return http::JsonResponse(200, json::object{{"items", std::move(items)}});
                    });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/calendars", admin,
                    {.id = "listCalendars",
                     .tag = "calendar",
                     .summary = "The business calendars",
                     .response = Object({{"items", ArrayOf(Ref("Calendar"))}}, {"items"})},
                    [services](http::Request& request, const Caller&) {
                      auto calendars = services.calendars.List();
                      if (!calendars) return ErrorResponse(calendars.error(), request);
                      json::array items;
                      for (const runtime::CalendarInfo& info : *calendars) {
                        items.push_back(CalendarJson(info, request.Language()));
                      }
                      return http::JsonResponse(200, json::object{{"items", std::move(items)}});
                    });

  AddProtectedRoute(router, guard, http::Method::kPatch, "/api/v1/calendars/{key}", admin,
                    {.id = "updateCalendar",
                     .tag = "calendar",
                     .summary = "Change a calendar's names, zone, work week or working hours",
                     .request = Ref("CalendarInput"),
                     .response = Ref("Calendar"),
                     .if_match = true},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto version = ExpectedVersion(request, &error);
                      if (!version) return error;
                      auto body = ObjectBody(request, &error);
                      if (!body) return error;
                      JsonReader reader(*body);
                      runtime::CalendarChanges changes;
                      changes.name_zh = reader.String("name_zh", false, 400);
                      changes.name_en = reader.String("name_en", false, 400);
                      changes.time_zone = reader.String("time_zone", false, 64);
                      std::vector<FieldViolation> violations;
                      if (const json::value* week = reader.Value("work_week", false)) {
                        changes.work_week = ReadWorkWeek(*week, "work_week", violations);
                      }
                      if (const json::value* hours = reader.Value("working_hours", false)) {
                        changes.working_hours = ReadWorkingHours(*hours, violations);
                      }
                      for (FieldViolation& v : violations)
                        reader.AddViolation(v.field, v.code, v.message);
                      if (Status read = reader.Finish(); !read)
                        return ErrorResponse(read.error(), request);
                      auto updated = services.calendars.Update(
                          caller.actor, request.PathParam("key"), changes, *version);
                      if (!updated) return ErrorResponse(updated.error(), request);
                      return CalendarResponse(200, *updated, request);
                    });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/calendars/{key}/days", admin,
      {.id = "listCalendarDays",
       .tag = "calendar",
       .summary = "A year's holidays and make-up working days",
       .description = "year= the year (required). imported says whether the year was imported "
                      "whole (shipped or by an administrator) and when.",
       .response = Object({{"items", ArrayOf(Ref("CalendarDay"))},
                           {"year", Type("integer")},
                           {"imported", OrNull(Object({{"source", Type("string")},
                                                       {"imported_at", Type("string")}}))}},
                          {"items", "year", "imported"}),
       .query = {"year"}},
      [services](http::Request& request, const Caller&) {
        auto year = YearOf(request.QueryParam("year").value_or(""));
        if (!year) return YearError(request);
        const std::string_view key = request.PathParam("key");
        auto days = services.calendars.ListDays(key, *year);
        if (!days) return ErrorResponse(days.error(), request);
        auto years = services.calendars.ListYears(key);
        if (!years) return ErrorResponse(years.error(), request);
        json::value imported = nullptr;
        for (const runtime::CalendarYear& y : *years) {
          if (y.year != *year) continue;
          imported = json::object{{"source", runtime::CalendarYearSourceName(y.source)},
                                  {"imported_at", FormatInstant(y.imported_at)}};
        }
        json::array items;
        for (const runtime::CalendarDay& day : *days) items.push_back(DayJson(day));
        return http::JsonResponse(200, json::object{{"items", std::move(items)},
                                                    {"year", *year},
                                                    {"imported", std::move(imported)}});
      });

  AddProtectedRoute(
      router, guard, http::Method::kPut, "/api/v1/calendars/{key}/days/{date}", admin,
      {.id = "setCalendarDay",
       .tag = "calendar",
       .summary = "List a day as a holiday (休) or a make-up working day (班)",
       .request = Object({{"kind", Type("string")}, {"name", Type("string")}}, {"kind", "name"}),
       .response = Ref("CalendarDay")},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto date = DatePath(request, &error);
        if (!date) return error;
        auto body = ObjectBody(request, &error);
        if (!body) return error;
        JsonReader reader(*body);
        auto name = reader.String("name", true, 400);
        std::vector<FieldViolation> violations;
        auto kind = ReadKind(reader.Value("kind", true), "kind", violations);
        for (FieldViolation& v : violations) reader.AddViolation(v.field, v.code, v.message);
        if (Status read = reader.Finish(); !read) return ErrorResponse(read.error(), request);
        auto day =
            services.calendars.SetDay(caller.actor, request.PathParam("key"), *date, *kind, *name);
        if (!day) return ErrorResponse(day.error(), request);
        return http::JsonResponse(200, DayJson(*day));
      });

  AddProtectedRoute(
      router, guard, http::Method::kDelete, "/api/v1/calendars/{key}/days/{date}", admin,
      {.id = "removeCalendarDay",
       .tag = "calendar",
       .summary = "Take a day off the list: its weekday decides it again"},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto date = DatePath(request, &error);
        if (!date) return error;
        Status removed =
            services.calendars.RemoveDay(caller.actor, request.PathParam("key"), *date);
        if (!removed) return ErrorResponse(removed.error(), request);
        return NoContent();
      });

  AddProtectedRoute(
      router, guard, http::Method::kPut, "/api/v1/calendars/{key}/years/{year}", admin,
      {.id = "importCalendarYear",
       .tag = "calendar",
       .summary = "Replace a whole year's holidays and make-up working days",
       .description = "As the State Council's notice for the year lists them; an empty list "
                      "leaves the year to the work week alone.",
       .request = Object({{"days", ArrayOf(Ref("CalendarDay"))}}, {"days"}),
       .response = Object({{"items", ArrayOf(Ref("CalendarDay"))},
                           {"year", Type("integer")},
                           {"imported_at", Type("string")}},
                          {"items", "year", "imported_at"})},
      [services](http::Request& request, const Caller& caller) {
        auto year = YearOf(request.PathParam("year"));
        if (!year) return YearError(request);
        http::Response error;
        auto body = ObjectBody(request, &error);
        if (!body) return error;
        JsonReader reader(*body);
        std::vector<FieldViolation> violations;
        std::vector<runtime::CalendarDay> days;
        const json::value* list = reader.Value("days", true);
        if (list && !list->is_array()) {
          reader.AddViolation("days", "invalid", {"须为数组", "must be an array"});
        } else if (list && list->as_array().size() > 366) {
          reader.AddViolation("days", "too_many", {"最多 366 天", "At most 366 days"});
        } else if (list) {
          for (size_t i = 0; i < list->as_array().size(); ++i) {
            const std::string at = "days[" + std::to_string(i) + "]";
            const json::value& item = list->as_array()[i];
            const json::object* object = item.is_object() ? &item.as_object() : nullptr;
            const json::value* date = object ? object->if_contains("date") : nullptr;
            const json::value* name = object ? object->if_contains("name") : nullptr;
            std::optional<Date> day;
            if (date && date->is_string()) day = Date::Parse(date->as_string());
            if (!day) {
              violations.push_back(Violation(at + ".date", "invalid_date",
                                             {"日期须为 YYYY-MM-DD", "must be a date YYYY-MM-DD"}));
            }
            auto kind =
                ReadKind(object ? object->if_contains("kind") : nullptr, at + ".kind", violations);
            if (!name || !name->is_string()) {
              violations.push_back(Violation(at + ".name", "required",
                                             {"须写明名称，如 春节", "needs a name such as 春节"}));
            }
            if (day && kind && name && name->is_string()) {
              days.push_back({*day, *kind, std::string(name->as_string())});
            }
          }
        }
        for (FieldViolation& v : violations) reader.AddViolation(v.field, v.code, v.message);
        if (Status read = reader.Finish(); !read) return ErrorResponse(read.error(), request);
        auto imported =
            services.calendars.ImportYear(caller.actor, request.PathParam("key"), *year, days);
        if (!imported) return ErrorResponse(imported.error(), request);
        json::array items;
        for (const runtime::CalendarDay& day : days) items.push_back(DayJson(day));
        return http::JsonResponse(
            200, json::object{{"items", std::move(items)},
                              {"year", imported->year},
                              {"imported_at", FormatInstant(imported->imported_at)}});
      });
}

}  // namespace oc::api
