#pragma once
// The business calendar (工作日历): which days are working days, and which hours of them are
// working hours, for everything that counts in working time — "3 working days before the due
// date", an approval due "within 4 working hours", jobs that run on working days only, and
// WORKDAY / NETWORKDAYS / ISWORKDAY in expressions. The business date (business_date.h) moves
// from working day to working day by it.
//
// A calendar has a key ("cn"), a zone, a work week (the weekdays normally worked), working hours
// (the same every working day), and listed days that override the week: a holiday (a weekday off,
// 春节) or a working day (a weekend day worked in exchange, 调休). China's holidays move every
// year by State Council notice, so listed days are data maintained year by year: the notices this
// release knows are shipped (china_holidays.h) and seeded into the calendar "cn" at start-up; an
// administrator imports later years, or corrects single days. Counting never stops for want of a
// year: one without listed days is read by the work week alone. But a calendar that schedules its
// years says which ones it has (IsYearScheduled), and the business date refuses to move into a
// year its calendar has not scheduled, where the work week would open the ledger on 元旦.
//
// Reading: View(key) returns an immutable CalendarView, one snapshot shared by every reader until
// the calendar changes. Every change bumps calendars.version in its transaction; View compares
// the cached version with the database (one query on the primary key) and reloads only when it
// moved, so a change made on any node is seen by the next View on every node.
//
// Writing: each change — create, update, a day set or removed, a year imported, a shipped year
// seeded — is one unit of work with one audit entry (calendar.created, calendar.updated,
// calendar.day_set, calendar.day_removed, calendar.year_imported), one `calendar.changed` event
// {calendar_key, version, change} and the version bump. The `change` member names which of the
// five it was ("created", "updated", "day_set", "day_removed", "year_imported").
//
// Thread-safety: CalendarView is immutable and may be shared between threads.
// BusinessCalendarService is safe to share; it blocks on the database.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/time_zone.h"
#include "expr/expr.h"
#include "runtime/calendar_day.h"
#include "runtime/cron.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/unit_of_work.h"

namespace oc::runtime {

// The calendar every installation has: mainland China, seeded with the shipped years.
inline constexpr std::string_view kChinaCalendarKey = "cn";

// One span of working time in a day, as times after local midnight: 09:00–12:00. `end` is after
// `start` and at most 24:00.
struct WorkingPeriod {
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};
  friend bool operator==(const WorkingPeriod&, const WorkingPeriod&) = default;
};

// A working period as an administrator writes it: {"09:00", "12:00"}.
using WorkingPeriodText = std::pair<std::string, std::string>;

// Parses working hours, checked: each time "HH:MM" (00:00 to 24:00, 24:00 only as an end), each
// period's end after its start, the periods ascending without overlapping (one may end where the
// next begins), at least one and at most 8. Errors: kInvalidArgument naming the place,
// "<field>[i].start" / "<field>[i].end" (invalid_time, empty_period, overlapping) or `field`
// itself (required, too_many).
Result<std::vector<WorkingPeriod>> ParseWorkingHours(std::span<const WorkingPeriodText> periods,
                                                     std::string_view field);
// "09:00".
std::string FormatTimeOfDay(std::chrono::minutes since_midnight);

// Where a calendar's year came from. Stored names "shipped", "imported"; never renamed.
enum class CalendarYearSource { kShipped, kImported };
std::string_view CalendarYearSourceName(CalendarYearSource source);

struct CalendarInfo {
  std::string key;
  Message name;  // 中国大陆 / Mainland China
  TimeZone zone;
  uint8_t work_week = kMondayToFriday;  // bit 0 Monday … bit 6 Sunday
  std::vector<WorkingPeriod> working_hours;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// A year of listed days that was imported whole: shipped with the release, or by an
// administrator.
struct CalendarYear {
  int year = 0;
  CalendarYearSource source = CalendarYearSource::kShipped;
  Instant imported_at;
};

// One calendar as it was at one version. Working days are decided in this order: a day listed as
// a working day is one; else a day listed as a holiday is not; else the work week decides.
class CalendarView {
 public:
  // REQUIRES: what BusinessCalendarService stores — info.work_week names at least one day
  // (bits 0–6), info.working_hours ascending, non-overlapping and not empty, and each date listed
  // once in `days`. Aborts otherwise: a view that breaks them would loop or count wrongly.
  // `scheduled_years` are the years imported whole (CalendarYear), in any order.
  CalendarView(CalendarInfo info, std::vector<CalendarDay> days,
               std::vector<int> scheduled_years = {});

  const CalendarInfo& info() const { return info_; }
  const std::string& key() const { return info_.key; }
  const Message& name() const { return info_.name; }
  const TimeZone& zone() const { return info_.zone; }
  uint8_t work_week() const { return info_.work_week; }
  std::span<const WorkingPeriod> working_hours() const { return info_.working_hours; }
  int64_t version() const { return info_.version; }
  // Every listed day, by date.
  std::span<const CalendarDay> days() const { return days_; }
  // The listed holidays and working days alone, by date.
  std::span<const Date> holidays() const { return holidays_; }
  std::span<const Date> extra_workdays() const { return extra_workdays_; }

  // The years imported whole, ascending.
  std::span<const int> scheduled_years() const { return scheduled_years_; }
  // Whether the listed days of `year` are known to be complete: the year was imported whole
  // (shipped, or by an administrator — an empty import counts), or the calendar schedules no
  // years at all and is a plain work week with the odd day set by hand.
  bool IsYearScheduled(int year) const;

  // The listed day of `date`, or nullptr when the work week alone decides it.
  const CalendarDay* FindDay(Date date) const;

  bool IsWorkingDay(Date date) const;

  // The first working day strictly after `date`.
  Date NextWorkingDay(Date date) const;

  // The date `n` working days after `start` (before it when n is negative), `start` itself not
  // counted; `start` when n is 0. As Excel's WORKDAY, and as the expression language's.
  // Errors: kInvalidArgument ("days", "out_of_range") when the date would fall outside the years
  // 1–9999.
  Result<Date> AddWorkingDays(Date start, int n) const;

  // The working days from `from` to `to`, both included; negative (minus the days from `to` to
  // `from`) when `to` is before `from`. As Excel's NETWORKDAYS.
  int64_t WorkingDaysBetween(Date from, Date to) const;

  // Gives `context` this calendar for WORKDAY, NETWORKDAYS and ISWORKDAY: its work week (the bit
  // layouts agree), holidays and extra working days. The spans point into this view, which must
  // outlive every evaluation with `context`. The business date and the zone stay the host's to
  // set.
  void ApplyTo(expr::EvalContext& context) const;

  // The instant `duration` of working time after `start`, counting only working hours of working
  // days in the calendar's zone: "due within 4 working hours". A deadline that uses up a period
  // exactly ends with it (12:00, not 13:30); a duration of zero is `start` itself, even outside
  // working hours. Errors: kInvalidArgument ("duration", "negative") for a negative duration;
  // ("duration", "out_of_range") when the end would fall after the year 9999.
  Result<Instant> AddWorkingTime(Instant start, std::chrono::minutes duration) const;

  // The working time in [from, to), in whole minutes rounded toward zero; negative when `to` is
  // before `from`. WorkingTimeBetween(s, AddWorkingTime(s, d)) is d.
  std::chrono::minutes WorkingTimeBetween(Instant from, Instant to) const;

  // IsWorkingDay of this snapshot, for SchedulerOptions::working_day. The filter holds its own
  // copy of the view, so it outlives this one; it does not follow later changes (see
  // BusinessCalendarService::FollowingDayFilter for one that does).
  CronSchedule::DayFilter DayFilter() const;

 private:
  // Working time on `day` within [from, to), times after local midnight.
  std::chrono::microseconds WorkingTimeWithin(Date day, std::chrono::microseconds from,
                                              std::chrono::microseconds to) const;

  CalendarInfo info_;
  std::vector<CalendarDay> days_;
  std::vector<Date> holidays_;
  std::vector<Date> extra_workdays_;
  std::vector<int> scheduled_years_;
  std::chrono::microseconds working_time_per_day_{0};
};

// The calendar "cn" as a new installation gets it: Monday to Friday, 09:00–12:00 and
// 13:30–17:30 in Asia/Shanghai, with every shipped year of the State Council's schedule.
CalendarInfo ShippedChinaCalendarInfo();
// The same as a view, without a database: what `opencredit expr eval` counts working days by.
CalendarView ShippedChinaCalendar();

struct NewCalendar {
  std::string key;  // [a-z0-9_]{2,40}; never changes
  std::string name_zh;
  std::string name_en;
  std::string time_zone = "Asia/Shanghai";
  int work_week = kMondayToFriday;
  std::vector<WorkingPeriodText> working_hours = {{"09:00", "12:00"}, {"13:30", "17:30"}};
};

// What an Update changes; what is absent stays as it is.
struct CalendarChanges {
  std::optional<std::string> name_zh;
  std::optional<std::string> name_en;
  std::optional<std::string> time_zone;
  std::optional<int> work_week;
  std::optional<std::vector<WorkingPeriodText>> working_hours;
};

// The calendar tables (calendars, calendar_days, calendar_years).
std::vector<storage::Migration> BusinessCalendarMigrations();

class BusinessCalendarService {
 public:
  BusinessCalendarService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                          const EventLog& events);

  // Run at every start-up, on every node: creates the calendar "cn" (中国大陆 / Mainland China,
  // Asia/Shanghai, Monday to Friday, 09:00–12:00 and 13:30–17:30) when it is missing, and copies
  // into it each shipped year (china_holidays.h) that it has not recorded yet, as source
  // "shipped". A year it has recorded — shipped before, or imported by an administrator — is never
  // touched again; a day an administrator set by hand in a year not recorded yet is kept, and the
  // shipped days fill in around it. Idempotent, and safe when several nodes start at once: every
  // insert is insert-if-absent, and only the node whose insert took effect audits it. Audited as
  // the actor "system".
  Status SeedShipped();

  // The calendar's current snapshot, from the cache when its version is still the database's.
  // Errors: kNotFound for no such calendar.
  Result<std::shared_ptr<const CalendarView>> View(std::string_view key);
  // The same inside the caller's transaction (a use case that counts working days in its unit),
  // seeing the unit's own changes. A view loaded here is not cached: the unit may roll back.
  Result<std::shared_ptr<const CalendarView>> View(storage::Tx& tx, std::string_view key);

  // A day filter for SchedulerOptions::working_day that follows the calendar's changes: it reads
  // the newest view this service has loaded, never the database (the scheduler calls its filter
  // inside its own transaction, where a second one must not be opened). It is as fresh as the
  // last View of `key` on this node — any change made here, and any View after a change elsewhere.
  // Errors: as View, which it calls once to load the calendar.
  // REQUIRES: the service outlives the filter.
  Result<CronSchedule::DayFilter> FollowingDayFilter(std::string key);

  // Every calendar, by key.
  Result<std::vector<CalendarInfo>> List();

  // Creates a calendar at version 1. Errors: kInvalidArgument naming each bad field — "key"
  // (invalid_key), "name_zh" / "name_en" (required, too_long, control_character), "time_zone"
  // (unknown_time_zone), "work_week" (no_working_day, out_of_range), "working_hours…" (see
  // ParseWorkingHours); kAlreadyExists when the key is taken.
  Result<CalendarInfo> Create(const audit::Actor& actor, const NewCalendar& input);
  Result<CalendarInfo> Create(storage::UnitOfWork& unit, const audit::Actor& actor,
                              const NewCalendar& input);

  // Changes the fields `changes` holds, when the calendar is still at `expected_version`.
  // Errors: kInvalidArgument as Create; kNotFound; kAborted when it changed since
  // `expected_version`. Changing nothing is not a change: the calendar is returned as it is.
  Result<CalendarInfo> Update(const audit::Actor& actor, std::string_view key,
                              const CalendarChanges& changes, int64_t expected_version);
  Result<CalendarInfo> Update(storage::UnitOfWork& unit, const audit::Actor& actor,
                              std::string_view key, const CalendarChanges& changes,
                              int64_t expected_version);

  // The listed days of `year`, by date. Errors: kNotFound for no such calendar; kInvalidArgument
  // ("year", "out_of_range") outside 1900–2999.
  Result<std::vector<CalendarDay>> ListDays(std::string_view key, int year);
  // The years imported whole, oldest first. Errors: kNotFound.
  Result<std::vector<CalendarYear>> ListYears(std::string_view key);

  // Lists `day` as a holiday or a working day, replacing what was listed for it.
  // Errors: kNotFound; kInvalidArgument on "name" (required, too_long, control_character) or
  // "day" ("out_of_range", a year outside 1900–2999).
  Result<CalendarDay> SetDay(const audit::Actor& actor, std::string_view key, Date day,
                             CalendarDayKind kind, std::string_view name);
  Result<CalendarDay> SetDay(storage::UnitOfWork& unit, const audit::Actor& actor,
                             std::string_view key, Date day, CalendarDayKind kind,
                             std::string_view name);

  // Takes `day` off the list: the work week decides it again. Errors: kNotFound for no such
  // calendar, or a day not listed.
  Status RemoveDay(const audit::Actor& actor, std::string_view key, Date day);
  Status RemoveDay(storage::UnitOfWork& unit, const audit::Actor& actor, std::string_view key,
                   Date day);

  // Replaces every listed day of `year` with `days` (which may be empty: the year by the work
  // week alone) and records the year as imported now, source "imported"; SeedShipped leaves it
  // alone from then on. Errors: kNotFound; kInvalidArgument ("year", "out_of_range") outside
  // 1900–2999, or naming the day "days[i].day" (wrong_year, duplicate) or "days[i].name"
  // (required, too_long, control_character); at most 366 days ("days", "too_many").
  Result<CalendarYear> ImportYear(const audit::Actor& actor, std::string_view key, int year,
                                  std::vector<CalendarDay> days);
  Result<CalendarYear> ImportYear(storage::UnitOfWork& unit, const audit::Actor& actor,
                                  std::string_view key, int year, std::vector<CalendarDay> days);

 private:
  Result<std::shared_ptr<const CalendarView>> Read(storage::Tx& tx, std::string_view key) const;
  Result<CalendarInfo> LoadInfo(storage::Tx& tx, std::string_view key) const;
  Result<int64_t> BumpVersion(storage::Tx& tx, std::string_view key, Instant now) const;
  Status Announce(storage::UnitOfWork& unit, const audit::Actor& actor, std::string_view key,
                  int64_t version, std::string_view change, const audit::Event& entry);
  Status ImportDays(storage::Tx& tx, std::string_view key, int year,
                    std::span<const CalendarDay> days, bool replace) const;
  void Store(std::shared_ptr<const CalendarView> view);
  std::shared_ptr<const CalendarView> Cached(std::string_view key) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const EventLog& events_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const CalendarView>, std::less<>> cache_;
};

}  // namespace oc::runtime
