#include "runtime/business_calendar.h"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "audit/action.h"
#include "core/text_normalize.h"
#include "runtime/china_holidays.h"

namespace oc::runtime {

namespace json = boost::json;
using std::chrono::microseconds;
using std::chrono::minutes;
using storage::Tx;

namespace {

constexpr size_t kMaxCalendarNameLength = 60;
constexpr size_t kMaxWorkingPeriods = 8;
constexpr size_t kMaxImportedDays = 366;
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2999;
constexpr minutes kEndOfDay{24 * 60};

constexpr std::string_view kCalendarColumns =
    "calendar_key, name_zh, name_en, time_zone, work_week, working_hours, version, "
    "created_at_us, updated_at_us";

Date FirstDate() { return *Date::FromYmd(1, 1, 1); }
Date LastDate() { return *Date::FromYmd(9999, 12, 31); }

Error OutOfRange(std::string field) {
  return InvalidField(
      std::move(field), "out_of_range",
      {"日期超出公元 1 年至 9999 年的范围", "The date would fall outside the years 1 to 9999"});
}

// "HH:MM", 00:00 to 24:00.
std::optional<minutes> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return std::nullopt;
  return minutes(hours * 60 + mins);
}

std::string WorkingHoursJson(std::span<const WorkingPeriod> periods) {
  json::array out;
  for (const WorkingPeriod& p : periods) {
    out.push_back(
        json::array{json::string(FormatTimeOfDay(p.start)), json::string(FormatTimeOfDay(p.end))});
  }
  return json::serialize(out);
}

// "09:00-12:00, 13:30-17:30", for the audit trail.
std::string WorkingHoursText(std::span<const WorkingPeriod> periods) {
  std::string out;
  for (const WorkingPeriod& p : periods) {
    if (!out.empty()) out += ", ";
    out += FormatTimeOfDay(p.start) + "-" + FormatTimeOfDay(p.end);
  }
  return out;
}

std::optional<std::vector<WorkingPeriod>> WorkingHoursFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return std::nullopt;
  std::vector<WorkingPeriodText> periods;
  for (const json::value& item : parsed.as_array()) {
    const json::array* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return std::nullopt;
    }
    periods.emplace_back(std::string((*pair)[0].as_string()), std::string((*pair)[1].as_string()));
  }
  auto checked = ParseWorkingHours(periods, "working_hours");
  if (!checked) return std::nullopt;
  return std::move(*checked);
}

// A name a person gives: required, at most `max` characters, no control characters.
void CheckName(std::string_view text, std::string field, size_t max,
               std::vector<FieldViolation>& violations) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    violations.push_back({std::move(field), "required", {"请填写名称", "A name is required"}});
  } else if (Utf8Length(text) > max) {
    violations.push_back({std::move(field),
                          "too_long",
                          {"最多 " + std::to_string(max) + " 字",
                           "At most " + std::to_string(max) + " characters"}});
  } else if (HasControlCharacter(text)) {
    violations.push_back({std::move(field),
                          "control_character",
                          {"不能包含控制字符", "Control characters are not allowed"}});
  }
}

bool ValidKey(std::string_view key) {
  if (key.size() < 2 || key.size() > 40) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void CheckWorkWeek(int work_week, std::vector<FieldViolation>& violations) {
  if (work_week < 0 || work_week > 0x7f) {
    violations.push_back({"work_week",
                          "out_of_range",
                          {"工作周须为 0 到 127 之间的位掩码（第 0 位为周一）",
                           "The work week is a bit mask from 0 to 127 (bit 0 is Monday)"}});
  } else if (work_week == 0) {
    violations.push_back({"work_week",
                          "no_working_day",
                          {"工作周至少要有一天", "The work week needs at least one working day"}});
  }
}

// Appends the violations of `error` (a field error) to `violations`.
void Collect(const Error& error, std::vector<FieldViolation>& violations) {
  violations.insert(violations.end(), error.field_violations.begin(), error.field_violations.end());
}

Error CalendarNotFound(std::string_view key) {
  return NotFound({"工作日历 " + std::string(key) + " 不存在",
                   "Calendar " + std::string(key) + " does not exist"});
}

Status CheckYear(int year, std::string field) {
  if (year >= kFirstYear && year <= kLastYear) return Ok();
  return InvalidField(std::move(field), "out_of_range",
                      {"年份须在 1900 到 2999 之间", "The year must be between 1900 and 2999"});
}

std::string DayText(const CalendarDay& day) {
  return std::string(CalendarDayKindName(day.kind)) + " " + day.name;
}

CalendarInfo InfoFromRow(const storage::Row& row, const TimeZone& zone,
                         std::vector<WorkingPeriod> hours) {
  return {.key = row.Text("calendar_key"),
          .name = {row.Text("name_zh"), row.Text("name_en")},
          .zone = zone,
          .work_week = static_cast<uint8_t>(row.Int("work_week")),
          .working_hours = std::move(hours),
          .version = row.Int("version"),
          .created_at = FromUnixMicros(row.Int("created_at_us")),
          .updated_at = FromUnixMicros(row.Int("updated_at_us"))};
}

Result<std::vector<CalendarDay>> DaysFromRows(const storage::Rows& rows, std::string_view key) {
  std::vector<CalendarDay> days;
  days.reserve(rows.size());
  for (const storage::Row& row : rows) {
    auto day = Date::Parse(row.Text("day"));
    auto kind = CalendarDayKindFromName(row.Text("kind"));
    if (!day || !kind) {
      return Internal("calendar " + std::string(key) +
                      " lists an unreadable day: " + row.Text("day") + " " + row.Text("kind"));
    }
    days.push_back({.day = *day, .kind = *kind, .name = row.Text("name")});
  }
  return days;
}

}  // namespace

Result<std::vector<WorkingPeriod>> ParseWorkingHours(std::span<const WorkingPeriodText> periods,
                                                     std::string_view field) {
  const std::string base(field);
  if (periods.empty()) {
    return InvalidField(base, "required",
                        {"至少要有一段工作时间", "At least one working period is required"});
  }
  if (periods.size() > kMaxWorkingPeriods) {
    return InvalidField(base, "too_many", {"最多 8 段工作时间", "At most 8 working periods"});
  }
  std::vector<FieldViolation> violations;
  std::vector<WorkingPeriod> parsed;
  for (size_t i = 0; i < periods.size(); ++i) {
    const std::string at = base + "[" + std::to_string(i) + "]";
    auto start = ParseTimeOfDay(periods[i].first);
    auto end = ParseTimeOfDay(periods[i].second);
    if (!start || *start == kEndOfDay) {
      violations.push_back({at + ".start",
                            "invalid_time",
                            {"开始时间须为 00:00 到 23:59 的 HH:MM",
                             "The start must be HH:MM from 00:00 to 23:59"}});
    }
    if (!end) {
      violations.push_back(
          {at + ".end",
           "invalid_time",
           {"结束时间须为 00:00 到 24:00 的 HH:MM", "The end must be HH:MM from 00:00 to 24:00"}});
    }
    if (!start || !end || *start == kEndOfDay) continue;
    if (*end <= *start) {
      violations.push_back({at + ".end",
                            "empty_period",
                            {"结束时间须晚于开始时间", "The end must be after the start"}});
      continue;
    }
    if (!parsed.empty() && *start < parsed.back().end) {
      violations.push_back({at + ".start",
                            "overlapping",
                            {"各段工作时间须按时间先后排列且互不重叠",
                             "Working periods must be in order and must not overlap"}});
    }
    parsed.push_back({*start, *end});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return parsed;
}

std::string FormatTimeOfDay(minutes since_midnight) {
  const auto total = since_midnight.count();
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(total / 60),
                static_cast<int>(total % 60));
  return buf;
}

std::string_view CalendarYearSourceName(CalendarYearSource source) {
  return source == CalendarYearSource::kImported ? "imported" : "shipped";
}

// ---- CalendarView ----

CalendarView::CalendarView(CalendarInfo info, std::vector<CalendarDay> days,
                           std::vector<int> scheduled_years)
    : info_(std::move(info)), days_(std::move(days)), scheduled_years_(std::move(scheduled_years)) {
  std::sort(scheduled_years_.begin(), scheduled_years_.end());
  // A view that breaks these would never find a working day, or count time it does not have.
  if ((info_.work_week & 0x7f) == 0 || info_.work_week > 0x7f) std::abort();
  if (info_.working_hours.empty()) std::abort();
  minutes previous_end{0};
  for (const WorkingPeriod& p : info_.working_hours) {
    if (p.start < previous_end || p.end <= p.start || p.end > kEndOfDay) std::abort();
    previous_end = p.end;
    working_time_per_day_ += p.end - p.start;
  }
  std::sort(days_.begin(), days_.end(),
            [](const CalendarDay& a, const CalendarDay& b) { return a.day < b.day; });
  for (size_t i = 0; i < days_.size(); ++i) {
    if (i > 0 && days_[i].day == days_[i - 1].day) std::abort();
    (days_[i].kind == CalendarDayKind::kHoliday ? holidays_ : extra_workdays_)
        .push_back(days_[i].day);
  }
}

bool CalendarView::IsYearScheduled(int year) const {
  return scheduled_years_.empty() ||
         std::binary_search(scheduled_years_.begin(), scheduled_years_.end(), year);
}

const CalendarDay* CalendarView::FindDay(Date date) const {
  auto it = std::lower_bound(days_.begin(), days_.end(), date,
                             [](const CalendarDay& d, Date x) { return d.day < x; });
  if (it == days_.end() || it->day != date) return nullptr;
  return &*it;
}

bool CalendarView::IsWorkingDay(Date date) const {
  if (const CalendarDay* listed = FindDay(date)) return listed->kind == CalendarDayKind::kWorkday;
  return InWorkWeek(info_.work_week, date);
}

Date CalendarView::NextWorkingDay(Date date) const {
  // Ends: the work week has a working day, and only finitely many days are listed.
  Date day = date.AddDays(1);
  while (!IsWorkingDay(day)) day = day.AddDays(1);
  return day;
}

int64_t CalendarView::WorkingDaysBetween(Date from, Date to) const {
  if (to < from) return -WorkingDaysBetween(to, from);
  // Whole weeks by the work week, the remainder day by day, then each listed day in the range
  // corrected by how it differs from its weekday: counting stays cheap over centuries.
  const int64_t length = int64_t{to.days_since_epoch()} - from.days_since_epoch() + 1;
  const int64_t weeks = length / 7;
  int64_t count = weeks * std::popcount(static_cast<unsigned>(info_.work_week));
  for (int64_t i = weeks * 7; i < length; ++i) {
    if (InWorkWeek(info_.work_week, from.AddDays(static_cast<int32_t>(i)))) ++count;
  }
  auto it = std::lower_bound(days_.begin(), days_.end(), from,
                             [](const CalendarDay& d, Date x) { return d.day < x; });
  for (; it != days_.end() && it->day <= to; ++it) {
    count += int{it->kind == CalendarDayKind::kWorkday} - int{InWorkWeek(info_.work_week, it->day)};
  }
  return count;
}

Result<Date> CalendarView::AddWorkingDays(Date start, int n) const {
  if (n == 0) return start;
  // The answer is the nearest date at which the count of working days between it and `start`
  // (exclusive) reaches |n|; that count only grows with the distance, so it is found by halving.
  const int64_t wanted = n < 0 ? -int64_t{n} : int64_t{n};
  int64_t lo = 0;
  int64_t hi = 0;
  if (n > 0) {
    if (start >= LastDate()) return OutOfRange("days");
    lo = start.days_since_epoch() + 1;
    hi = LastDate().days_since_epoch();
    const Date first = Date::FromDays(static_cast<int32_t>(lo));
    if (WorkingDaysBetween(first, LastDate()) < wanted) return OutOfRange("days");
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (WorkingDaysBetween(first, Date::FromDays(static_cast<int32_t>(mid))) >= wanted) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return Date::FromDays(static_cast<int32_t>(lo));
  }
  if (start <= FirstDate()) return OutOfRange("days");
  lo = FirstDate().days_since_epoch();
  hi = start.days_since_epoch() - 1;
  const Date last = Date::FromDays(static_cast<int32_t>(hi));
  if (WorkingDaysBetween(FirstDate(), last) < wanted) return OutOfRange("days");
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (WorkingDaysBetween(Date::FromDays(static_cast<int32_t>(mid)), last) >= wanted) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return Date::FromDays(static_cast<int32_t>(lo));
}

void CalendarView::ApplyTo(expr::EvalContext& context) const {
  context.work_week = info_.work_week;
  context.holidays = holidays_;
  context.extra_workdays = extra_workdays_;
}

microseconds CalendarView::WorkingTimeWithin(Date day, microseconds from, microseconds to) const {
  if (!IsWorkingDay(day)) return microseconds(0);
  microseconds total(0);
  for (const WorkingPeriod& p : info_.working_hours) {
    const microseconds begin = std::max<microseconds>(from, p.start);
    const microseconds end = std::min<microseconds>(to, p.end);
    if (end > begin) total += end - begin;
  }
  return total;
}

Result<Instant> CalendarView::AddWorkingTime(Instant start, minutes duration) const {
  if (duration < minutes(0)) {
    return InvalidField("duration", "negative",
                        {"工作时长不能为负", "The working time cannot be negative"});
  }
  if (duration == minutes(0)) return start;
  // More working time than ten thousand years hold is out of range, whatever the calendar; the
  // bound also keeps the arithmetic below in range.
  if (duration > minutes(int64_t{24} * 60 * 366 * 10'000)) return OutOfRange("duration");
  const TimeZone& zone = info_.zone;
  microseconds remaining = duration;
  const Date first = zone.DateOf(start);
  const microseconds at = start - zone.StartOf(first);
  if (IsWorkingDay(first)) {
    for (const WorkingPeriod& p : info_.working_hours) {
      if (at >= p.end) continue;
      const microseconds from = std::max<microseconds>(at, p.start);
      const microseconds available = microseconds(p.end) - from;
      if (remaining <= available) return zone.StartOf(first) + from + remaining;
      remaining -= available;
    }
  }
  // Whole working days after the first, then the part of the last one.
  const int64_t whole_days = (remaining - microseconds(1)) / working_time_per_day_;
  microseconds last = remaining - whole_days * working_time_per_day_;
  if (whole_days + 1 > std::numeric_limits<int>::max()) return OutOfRange("duration");
  auto day = AddWorkingDays(first, static_cast<int>(whole_days + 1));
  if (!day) return OutOfRange("duration");
  for (const WorkingPeriod& p : info_.working_hours) {
    const microseconds length = p.end - p.start;
    if (last <= length) return zone.StartOf(*day) + microseconds(p.start) + last;
    last -= length;
  }
  return Internal("working time left over after a whole working day");
}

minutes CalendarView::WorkingTimeBetween(Instant from, Instant to) const {
  if (to < from) return -WorkingTimeBetween(to, from);
  const TimeZone& zone = info_.zone;
  const Date first = zone.DateOf(from);
  const Date last = zone.DateOf(to);
  const microseconds from_at = from - zone.StartOf(first);
  const microseconds to_at = to - zone.StartOf(last);
  microseconds total(0);
  if (first == last) {
    total = WorkingTimeWithin(first, from_at, to_at);
  } else {
    total = WorkingTimeWithin(first, from_at, kEndOfDay) +
            WorkingTimeWithin(last, microseconds(0), to_at);
    if (last.days_since_epoch() - first.days_since_epoch() >= 2) {
      total += WorkingDaysBetween(first.AddDays(1), last.AddDays(-1)) * working_time_per_day_;
    }
  }
  return std::chrono::duration_cast<minutes>(total);
}

CronSchedule::DayFilter CalendarView::DayFilter() const {
  auto copy = std::make_shared<const CalendarView>(*this);
  return [copy](Date date) { return copy->IsWorkingDay(date); };
}

// ---- Storage ----

std::vector<storage::Migration> BusinessCalendarMigrations() {
  // Frozen text: a change to these tables needs a migration of its own. Days are ISO text, which
  // sorts as dates do, so a year is a range scan of the primary key.
  return {{.id = "runtime_0003_business_calendar", .sql = R"sql(
CREATE TABLE calendars (
  calendar_key TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  work_week INTEGER NOT NULL,
  working_hours TEXT NOT NULL,
  version {{bigint}} NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);

CREATE TABLE calendar_days (
  calendar_key TEXT NOT NULL REFERENCES calendars (calendar_key),
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL,
  PRIMARY KEY (calendar_key, day)
);

CREATE TABLE calendar_years (
  calendar_key TEXT NOT NULL REFERENCES calendars (calendar_key),
  year INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('shipped', 'imported')),
  imported_at_us {{bigint}} NOT NULL,
  PRIMARY KEY (calendar_key, year)
);
)sql"}};
}

// ---- BusinessCalendarService ----

BusinessCalendarService::BusinessCalendarService(storage::Db& db, const Clock& clock,
                                                 const audit::AuditLog& audit,
                                                 const EventLog& events)
    : db_(db), clock_(clock), audit_(audit), events_(events) {}

Result<CalendarInfo> BusinessCalendarService::LoadInfo(Tx& tx, std::string_view key) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kCalendarColumns) +
                                             " FROM calendars WHERE calendar_key = ?",
                                         {std::string(key)}));
  if (!row) return CalendarNotFound(key);
  // What was stored was checked on the way in; anything else was written behind the service's
  // back, and is reported rather than counted with.
  auto zone = TimeZone::Parse(row->Text("time_zone"), "time_zone");
  auto hours = WorkingHoursFromJson(row->Text("working_hours"));
  const int64_t work_week = row->Int("work_week");
  if (!zone || !hours || work_week < 1 || work_week > 0x7f) {
    return Internal("calendar " + std::string(key) + " is stored with an unreadable zone, " +
                    "work week or working hours");
  }
  return InfoFromRow(*row, *zone, std::move(*hours));
}

Result<int64_t> BusinessCalendarService::BumpVersion(Tx& tx, std::string_view key,
                                                     Instant now) const {
  // Bumping first also takes the calendar row's lock on PostgreSQL, so concurrent changes to one
  // calendar run one after the other and each audits what it really replaced.
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("UPDATE calendars SET version = version + 1, updated_at_us = ? "
                            "WHERE calendar_key = ? RETURNING version",
                            {ToUnixMicros(now), std::string(key)}));
  if (rows.empty()) return CalendarNotFound(key);
  return rows.front().Int(0);
}

Status BusinessCalendarService::Announce(storage::UnitOfWork& unit, const audit::Actor& actor,
                                         std::string_view key, int64_t version,
                                         std::string_view change, const audit::Event& entry) {
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(events_.Append(
      tx, actor,
      {.stream_type = "calendar",
       .stream_id = std::string(key),
       .type = "calendar.changed",
       .payload = {{"calendar_key", key}, {"version", version}, {"change", change}}}));
  RETURN_IF_ERROR(audit_.Append(tx, actor, entry));
  // This node's day filters read the cache; bring it up to date once the change is in.
  unit.AfterCommit([this, key = std::string(key)] { static_cast<void>(View(key)); });
  return Ok();
}

Status BusinessCalendarService::ImportDays(Tx& tx, std::string_view key, int year,
                                           std::span<const CalendarDay> days, bool replace) const {
  const std::string first = Date::FromYmd(year, 1, 1)->ToString();
  const std::string last = Date::FromYmd(year, 12, 31)->ToString();
  if (replace) {
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM calendar_days WHERE calendar_key = ? AND day >= ? AND day <= ?",
                   {std::string(key), first, last}));
  }
  // Without `replace`, a day already listed (set by hand) stays as it is.
  const std::string insert =
      std::string("INSERT INTO calendar_days (calendar_key, day, kind, name) VALUES (?, ?, ?, ?)") +
      (replace ? "" : " ON CONFLICT DO NOTHING");
  for (const CalendarDay& day : days) {
    RETURN_IF_ERROR(tx.Execute(insert, {std::string(key), day.day.ToString(),
                                        std::string(CalendarDayKindName(day.kind)), day.name}));
  }
  return Ok();
}

CalendarInfo ShippedChinaCalendarInfo() {
  return CalendarInfo{.key = std::string(kChinaCalendarKey),
                      .name = {"中国大陆", "Mainland China"},
                      .zone = *TimeZone::Parse("Asia/Shanghai", "time_zone"),
                      .work_week = kMondayToFriday,
                      .working_hours = {{minutes(9 * 60), minutes(12 * 60)},
                                        {minutes(13 * 60 + 30), minutes(17 * 60 + 30)}}};
}

CalendarView ShippedChinaCalendar() {
  std::vector<CalendarDay> days;
  std::vector<int> years;
  for (const ShippedYear& shipped : ShippedChinaYears()) {
    days.insert(days.end(), shipped.days.begin(), shipped.days.end());
    years.push_back(shipped.year);
  }
  return CalendarView(ShippedChinaCalendarInfo(), std::move(days), std::move(years));
}

Status BusinessCalendarService::SeedShipped() {
  return storage::UnitOfWork::Run(db_, [&](storage::UnitOfWork& unit) -> Status {
    Tx& tx = unit.tx();
    const audit::Actor actor{.username = "system"};
    const Instant now = clock_.Now();
    const CalendarInfo shipped_info = ShippedChinaCalendarInfo();
    const std::string& key = shipped_info.key;
    const std::vector<WorkingPeriod>& hours = shipped_info.working_hours;
    ASSIGN_OR_RETURN(
        storage::Rows created,
        tx.Query("INSERT INTO calendars (calendar_key, name_zh, name_en, time_zone, work_week, "
                 "working_hours, version, created_at_us, updated_at_us) "
                 "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING version",
                 {key, shipped_info.name.zh_cn, shipped_info.name.en_us,
                  std::string("Asia/Shanghai"), int64_t{shipped_info.work_week},
                  WorkingHoursJson(hours), ToUnixMicros(now), ToUnixMicros(now)}));
    if (!created.empty()) {
      RETURN_IF_ERROR(
          Announce(unit, actor, key, 1, "created",
                   {.action = audit::Action::kCalendarCreated,
                    .entity_type = "calendar",
                    .entity_id = key,
                    .changes = {{.field = "time_zone", .after = "Asia/Shanghai"},
                                {.field = "work_week", .after = "31"},
                                {.field = "working_hours", .after = WorkingHoursText(hours)}},
                    .detail = "shipped"}));
    }
    for (const ShippedYear& shipped : ShippedChinaYears()) {
      ASSIGN_OR_RETURN(storage::Rows taken,
                       tx.Query("INSERT INTO calendar_years (calendar_key, year, source, "
                                "imported_at_us) VALUES (?, ?, 'shipped', ?) "
                                "ON CONFLICT DO NOTHING RETURNING year",
                                {key, int64_t{shipped.year}, ToUnixMicros(now)}));
      if (taken.empty()) continue;  // recorded before, here or by another node
      RETURN_IF_ERROR(ImportDays(tx, key, shipped.year, shipped.days, /*replace=*/false));
      ASSIGN_OR_RETURN(int64_t version, BumpVersion(tx, key, now));
      RETURN_IF_ERROR(
          Announce(unit, actor, key, version, "year_imported",
                   {.action = audit::Action::kCalendarYearImported,
                    .entity_type = "calendar",
                    .entity_id = key,
                    .changes = {{.field = "year", .after = std::to_string(shipped.year)},
                                {.field = "source", .after = "shipped"}},
                    .detail = std::string(shipped.notice)}));
    }
    return Ok();
  });
}

std::shared_ptr<const CalendarView> BusinessCalendarService::Cached(std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  return it == cache_.end() ? nullptr : it->second;
}

void BusinessCalendarService::Store(std::shared_ptr<const CalendarView> view) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(view->key());
  if (it == cache_.end()) {
    std::string key = view->key();
    cache_.emplace(std::move(key), std::move(view));
  } else if (view->version() >= it->second->version()) {
    // Two threads may load different versions at once; the newer one stays.
    it->second = std::move(view);
  }
}

Result<std::shared_ptr<const CalendarView>> BusinessCalendarService::View(std::string_view key) {
  ASSIGN_OR_RETURN(auto view, db_.ReadValue<std::shared_ptr<const CalendarView>>(
                                  [&](Tx& tx) { return Read(tx, key); }));
  // A read transaction of its own sees committed calendars only, so what it loaded may be kept.
  Store(view);
  return view;
}

Result<std::shared_ptr<const CalendarView>> BusinessCalendarService::View(Tx& tx,
                                                                          std::string_view key) {
  // The caller's unit may have changed the calendar and may yet roll back: what it reads is not
  // kept, or the cache would serve a version that never committed.
  return Read(tx, key);
}

Result<std::shared_ptr<const CalendarView>> BusinessCalendarService::Read(
    Tx& tx, std::string_view key) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT version FROM calendars WHERE calendar_key = ?",
                                         {std::string(key)}));
  if (!row) return CalendarNotFound(key);
  if (auto cached = Cached(key); cached && cached->version() == row->Int(0)) return cached;
  ASSIGN_OR_RETURN(CalendarInfo info, LoadInfo(tx, key));
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("SELECT day, kind, name FROM calendar_days WHERE calendar_key = ? "
                            "ORDER BY day",
                            {std::string(key)}));
  ASSIGN_OR_RETURN(std::vector<CalendarDay> days, DaysFromRows(rows, key));
  for (size_t i = 1; i < days.size(); ++i) {
    if (days[i].day == days[i - 1].day) {
      return Internal("calendar " + std::string(key) + " lists a day twice");
    }
  }
  ASSIGN_OR_RETURN(
      storage::Rows year_rows,
      tx.Query("SELECT year FROM calendar_years WHERE calendar_key = ?", {std::string(key)}));
  std::vector<int> years;
  for (const storage::Row& year : year_rows) years.push_back(static_cast<int>(year.Int(0)));
  return std::make_shared<const CalendarView>(std::move(info), std::move(days), std::move(years));
}

Result<CronSchedule::DayFilter> BusinessCalendarService::FollowingDayFilter(std::string key) {
  ASSIGN_OR_RETURN(std::shared_ptr<const CalendarView> loaded, View(key));
  return CronSchedule::DayFilter([this, key = std::move(key), loaded](Date date) {
    std::shared_ptr<const CalendarView> view = Cached(key);
    return (view ? view : loaded)->IsWorkingDay(date);
  });
}

Result<std::vector<CalendarInfo>> BusinessCalendarService::List() {
  return db_.ReadValue<std::vector<CalendarInfo>>([&](Tx& tx) -> Result<std::vector<CalendarInfo>> {
    ASSIGN_OR_RETURN(storage::Rows rows,
                     tx.Query("SELECT calendar_key FROM calendars ORDER BY calendar_key"));
    std::vector<CalendarInfo> calendars;
    for (const storage::Row& row : rows) {
      ASSIGN_OR_RETURN(CalendarInfo info, LoadInfo(tx, row.Text(0)));
      calendars.push_back(std::move(info));
    }
    return calendars;
  });
}

Result<CalendarInfo> BusinessCalendarService::Create(const audit::Actor& actor,
                                                     const NewCalendar& input) {
  return storage::UnitOfWork::RunValue<CalendarInfo>(
      db_, [&](storage::UnitOfWork& unit) { return Create(unit, actor, input); });
}

Result<CalendarInfo> BusinessCalendarService::Create(storage::UnitOfWork& unit,
                                                     const audit::Actor& actor,
                                                     const NewCalendar& input) {
  std::vector<FieldViolation> violations;
  if (!ValidKey(input.key)) {
    violations.push_back({"key",
                          "invalid_key",
                          {"编码须为 2 到 40 个小写字母、数字或下划线",
                           "The key is 2 to 40 lower-case letters, digits or underscores"}});
  }
  CheckName(input.name_zh, "name_zh", kMaxCalendarNameLength, violations);
  CheckName(input.name_en, "name_en", kMaxCalendarNameLength, violations);
  auto zone = TimeZone::Parse(input.time_zone, "time_zone");
  if (!zone) Collect(zone.error(), violations);
  CheckWorkWeek(input.work_week, violations);
  auto hours = ParseWorkingHours(input.working_hours, "working_hours");
  if (!hours) Collect(hours.error(), violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  Tx& tx = unit.tx();
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(
      storage::Rows rows,
      tx.Query("INSERT INTO calendars (calendar_key, name_zh, name_en, time_zone, work_week, "
               "working_hours, version, created_at_us, updated_at_us) "
               "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING version",
               {input.key, input.name_zh, input.name_en, zone->name(), int64_t{input.work_week},
                WorkingHoursJson(*hours), now, now}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kAlreadyExists,
                     {"工作日历 " + input.key + " 已存在", "Calendar " + input.key + " exists"});
  }
  RETURN_IF_ERROR(
      Announce(unit, actor, input.key, 1, "created",
               {.action = audit::Action::kCalendarCreated,
                .entity_type = "calendar",
                .entity_id = input.key,
                .changes = {{.field = "name_zh", .after = input.name_zh},
                            {.field = "name_en", .after = input.name_en},
                            {.field = "time_zone", .after = zone->name()},
                            {.field = "work_week", .after = std::to_string(input.work_week)},
                            {.field = "working_hours", .after = WorkingHoursText(*hours)}}}));
  return LoadInfo(tx, input.key);
}

Result<CalendarInfo> BusinessCalendarService::Update(const audit::Actor& actor,
                                                     std::string_view key,
                                                     const CalendarChanges& changes,
                                                     int64_t expected_version) {
  return storage::UnitOfWork::RunValue<CalendarInfo>(db_, [&](storage::UnitOfWork& unit) {
    return Update(unit, actor, key, changes, expected_version);
  });
}

Result<CalendarInfo> BusinessCalendarService::Update(storage::UnitOfWork& unit,
                                                     const audit::Actor& actor,
                                                     std::string_view key,
                                                     const CalendarChanges& changes,
                                                     int64_t expected_version) {
  std::vector<FieldViolation> violations;
  if (changes.name_zh) CheckName(*changes.name_zh, "name_zh", kMaxCalendarNameLength, violations);
  if (changes.name_en) CheckName(*changes.name_en, "name_en", kMaxCalendarNameLength, violations);
  std::optional<TimeZone> zone;
  if (changes.time_zone) {
    auto parsed = TimeZone::Parse(*changes.time_zone, "time_zone");
    if (parsed) {
      zone = *parsed;
    } else {
      Collect(parsed.error(), violations);
    }
  }
  if (changes.work_week) CheckWorkWeek(*changes.work_week, violations);
  std::optional<std::vector<WorkingPeriod>> hours;
  if (changes.working_hours) {
    auto parsed = ParseWorkingHours(*changes.working_hours, "working_hours");
    if (parsed) {
      hours = std::move(*parsed);
    } else {
      Collect(parsed.error(), violations);
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(CalendarInfo before, LoadInfo(tx, key));
  if (before.version != expected_version) {
    return MakeError(ErrorCode::kAborted,
                     {"工作日历已被他人修改，请刷新后重试",
                      "The calendar was changed by someone else; reload and try again"});
  }
  CalendarInfo after = before;
  std::vector<audit::FieldChange> audited;
  if (changes.name_zh && *changes.name_zh != before.name.zh_cn) {
    audited.push_back({.field = "name_zh", .before = before.name.zh_cn, .after = *changes.name_zh});
    after.name.zh_cn = *changes.name_zh;
  }
  if (changes.name_en && *changes.name_en != before.name.en_us) {
    audited.push_back({.field = "name_en", .before = before.name.en_us, .after = *changes.name_en});
    after.name.en_us = *changes.name_en;
  }
  if (zone && zone->name() != before.zone.name()) {
    audited.push_back({.field = "time_zone", .before = before.zone.name(), .after = zone->name()});
    after.zone = *zone;
  }
  if (changes.work_week && *changes.work_week != before.work_week) {
    audited.push_back({.field = "work_week",
                       .before = std::to_string(before.work_week),
                       .after = std::to_string(*changes.work_week)});
    after.work_week = static_cast<uint8_t>(*changes.work_week);
  }
  if (hours && *hours != before.working_hours) {
    audited.push_back({.field = "working_hours",
                       .before = WorkingHoursText(before.working_hours),
                       .after = WorkingHoursText(*hours)});
    after.working_hours = std::move(*hours);
  }
  if (audited.empty()) return before;

  const int64_t now = ToUnixMicros(clock_.Now());
  // The version in the condition makes a change that slipped in since the read above leave this
  // update without a row, instead of being overwritten.
  ASSIGN_OR_RETURN(
      storage::Rows rows,
      tx.Query("UPDATE calendars SET name_zh = ?, name_en = ?, time_zone = ?, work_week = ?, "
               "working_hours = ?, version = version + 1, updated_at_us = ? "
               "WHERE calendar_key = ? AND version = ? RETURNING version",
               {after.name.zh_cn, after.name.en_us, after.zone.name(), int64_t{after.work_week},
                WorkingHoursJson(after.working_hours), now, std::string(key), expected_version}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kAborted,
                     {"工作日历已被他人修改，请刷新后重试",
                      "The calendar was changed by someone else; reload and try again"});
  }
  const int64_t version = rows.front().Int(0);
  RETURN_IF_ERROR(Announce(unit, actor, key, version, "updated",
                           {.action = audit::Action::kCalendarUpdated,
                            .entity_type = "calendar",
                            .entity_id = std::string(key),
                            .changes = std::move(audited)}));
  return LoadInfo(tx, key);
}

Result<std::vector<CalendarDay>> BusinessCalendarService::ListDays(std::string_view key, int year) {
  RETURN_IF_ERROR(CheckYear(year, "year"));
  return db_.ReadValue<std::vector<CalendarDay>>([&](Tx& tx) -> Result<std::vector<CalendarDay>> {
    ASSIGN_OR_RETURN(auto exists, tx.QueryOne("SELECT 1 FROM calendars WHERE calendar_key = ?",
                                              {std::string(key)}));
    if (!exists) return CalendarNotFound(key);
    ASSIGN_OR_RETURN(storage::Rows rows,
                     tx.Query("SELECT day, kind, name FROM calendar_days WHERE calendar_key = ? "
                              "AND day >= ? AND day <= ? ORDER BY day",
                              {std::string(key), Date::FromYmd(year, 1, 1)->ToString(),
                               Date::FromYmd(year, 12, 31)->ToString()}));
    return DaysFromRows(rows, key);
  });
}

Result<std::vector<CalendarYear>> BusinessCalendarService::ListYears(std::string_view key) {
  return db_.ReadValue<std::vector<CalendarYear>>([&](Tx& tx) -> Result<std::vector<CalendarYear>> {
    ASSIGN_OR_RETURN(auto exists, tx.QueryOne("SELECT 1 FROM calendars WHERE calendar_key = ?",
                                              {std::string(key)}));
    if (!exists) return CalendarNotFound(key);
    ASSIGN_OR_RETURN(storage::Rows rows,
                     tx.Query("SELECT year, source, imported_at_us FROM calendar_years "
                              "WHERE calendar_key = ? ORDER BY year",
                              {std::string(key)}));
    std::vector<CalendarYear> years;
    for (const storage::Row& row : rows) {
      years.push_back({.year = static_cast<int>(row.Int(0)),
                       .source = row.Text(1) == "imported" ? CalendarYearSource::kImported
                                                           : CalendarYearSource::kShipped,
                       .imported_at = FromUnixMicros(row.Int(2))});
    }
    return years;
  });
}

Result<CalendarDay> BusinessCalendarService::SetDay(const audit::Actor& actor, std::string_view key,
                                                    Date day, CalendarDayKind kind,
                                                    std::string_view name) {
  return storage::UnitOfWork::RunValue<CalendarDay>(
      db_, [&](storage::UnitOfWork& unit) { return SetDay(unit, actor, key, day, kind, name); });
}

Result<CalendarDay> BusinessCalendarService::SetDay(storage::UnitOfWork& unit,
                                                    const audit::Actor& actor, std::string_view key,
                                                    Date day, CalendarDayKind kind,
                                                    std::string_view name) {
  std::vector<FieldViolation> violations;
  if (auto year = CheckYear(day.year(), "day"); !year) Collect(year.error(), violations);
  CheckName(name, "name", kMaxDayNameLength, violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(int64_t version, BumpVersion(tx, key, clock_.Now()));
  ASSIGN_OR_RETURN(auto old, tx.QueryOne("SELECT kind, name FROM calendar_days WHERE "
                                         "calendar_key = ? AND day = ?",
                                         {std::string(key), day.ToString()}));
  const CalendarDay set{.day = day, .kind = kind, .name = std::string(name)};
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO calendar_days (calendar_key, day, kind, name) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (calendar_key, day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
      {std::string(key), day.ToString(), std::string(CalendarDayKindName(kind)), set.name}));
  std::optional<std::string> before;
  if (old) before = old->Text(0) + " " + old->Text(1);
  RETURN_IF_ERROR(Announce(
      unit, actor, key, version, "day_set",
      {.action = audit::Action::kCalendarDaySet,
       .entity_type = "calendar",
       .entity_id = std::string(key),
       .changes = {
           {.field = day.ToString(), .before = std::move(before), .after = DayText(set)}}}));
  return set;
}

Status BusinessCalendarService::RemoveDay(const audit::Actor& actor, std::string_view key,
                                          Date day) {
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return RemoveDay(unit, actor, key, day); });
}

Status BusinessCalendarService::RemoveDay(storage::UnitOfWork& unit, const audit::Actor& actor,
                                          std::string_view key, Date day) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(int64_t version, BumpVersion(tx, key, clock_.Now()));
  ASSIGN_OR_RETURN(auto old, tx.QueryOne("SELECT kind, name FROM calendar_days WHERE "
                                         "calendar_key = ? AND day = ?",
                                         {std::string(key), day.ToString()}));
  if (!old) {
    return NotFound({"工作日历 " + std::string(key) + " 未设置 " + day.ToString(),
                     "Calendar " + std::string(key) + " does not list " + day.ToString()});
  }
  RETURN_IF_ERROR(tx.Execute("DELETE FROM calendar_days WHERE calendar_key = ? AND day = ?",
                             {std::string(key), day.ToString()}));
  return Announce(unit, actor, key, version, "day_removed",
                  {.action = audit::Action::kCalendarDayRemoved,
                   .entity_type = "calendar",
                   .entity_id = std::string(key),
                   .changes = {{.field = day.ToString(),
                                .before = old->Text(0) + " " + old->Text(1),
                                .after = std::nullopt}}});
}

Result<CalendarYear> BusinessCalendarService::ImportYear(const audit::Actor& actor,
                                                         std::string_view key, int year,
                                                         std::vector<CalendarDay> days) {
  return storage::UnitOfWork::RunValue<CalendarYear>(
      db_, [&](storage::UnitOfWork& unit) { return ImportYear(unit, actor, key, year, days); });
}

Result<CalendarYear> BusinessCalendarService::ImportYear(storage::UnitOfWork& unit,
                                                         const audit::Actor& actor,
                                                         std::string_view key, int year,
                                                         std::vector<CalendarDay> days) {
  RETURN_IF_ERROR(CheckYear(year, "year"));
  if (days.size() > kMaxImportedDays) {
    return InvalidField("days", "too_many", {"一年最多 366 天", "A year has at most 366 days"});
  }
  std::vector<FieldViolation> violations;
  std::vector<Date> seen;
  for (size_t i = 0; i < days.size(); ++i) {
    const std::string at = "days[" + std::to_string(i) + "]";
    if (days[i].day.year() != year) {
      violations.push_back({at + ".day",
                            "wrong_year",
                            {days[i].day.ToString() + " 不在 " + std::to_string(year) + " 年",
                             days[i].day.ToString() + " is not in " + std::to_string(year)}});
    } else if (std::find(seen.begin(), seen.end(), days[i].day) != seen.end()) {
      violations.push_back(
          {at + ".day",
           "duplicate",
           {days[i].day.ToString() + " 出现了两次", days[i].day.ToString() + " appears twice"}});
    }
    seen.push_back(days[i].day);
    CheckName(days[i].name, at + ".name", kMaxDayNameLength, violations);
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  Tx& tx = unit.tx();
  const Instant now = clock_.Now();
  ASSIGN_OR_RETURN(int64_t version, BumpVersion(tx, key, now));
  RETURN_IF_ERROR(ImportDays(tx, key, year, days, /*replace=*/true));
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO calendar_years (calendar_key, year, source, imported_at_us) "
                 "VALUES (?, ?, 'imported', ?) ON CONFLICT (calendar_key, year) DO UPDATE SET "
                 "source = excluded.source, imported_at_us = excluded.imported_at_us",
                 {std::string(key), int64_t{year}, ToUnixMicros(now)}));
  const auto holidays = std::count_if(days.begin(), days.end(), [](const CalendarDay& d) {
    return d.kind == CalendarDayKind::kHoliday;
  });
  RETURN_IF_ERROR(Announce(
      unit, actor, key, version, "year_imported",
      {.action = audit::Action::kCalendarYearImported,
       .entity_type = "calendar",
       .entity_id = std::string(key),
       .changes = {{.field = "year", .after = std::to_string(year)},
                   {.field = "source", .after = "imported"}},
       .detail = std::to_string(holidays) + " holidays, " +
                 std::to_string(static_cast<int64_t>(days.size()) - holidays) + " working days"}));
  return CalendarYear{.year = year, .source = CalendarYearSource::kImported, .imported_at = now};
}

}  // namespace oc::runtime
