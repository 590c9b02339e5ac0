#pragma once
// The business date (营业日): the day the ledger is on, as in a core banking system. It is not
// the wall clock's date. Interest accrues, instalments fall due and overdue days are counted by
// it, and it moves only when the day's business is closed (日终) — usually by the close-of-business
// job shortly after midnight, and otherwise by an administrator. Over a weekend or a holiday it
// stands still on the last working day until that day is closed, then jumps to the next working
// day of its business calendar (business_calendar.h): closing 2026-09-30 moves it to 2026-10-08,
// past the National Day week.
//
// The date only moves forward, and only to a working day of the calendar. A day the calendar
// calls a holiday cannot become the business date: a lender that must open on such a day marks it
// a working day in the calendar first (SetDay, itself audited), so that the calendar and the
// ledger never disagree about which days were worked. Nor does it move into a year the calendar
// has not scheduled (CalendarView::IsYearScheduled): closing 2026-12-31 before next year's
// holidays are imported would open the ledger on 2027-01-01, which is 元旦. The close fails
// instead, saying so, until an administrator imports the year, and then runs again.
//
// There is one business date per installation: a single row, created on first use with today's
// date in the business zone. Every move is a compare-and-set on the row's version, written with
// its history row, its audit entry (business_date.advanced) and its event
// `business_date.advanced` {from, to, how} in one unit of work. Two nodes closing the same day at
// once therefore advance it once: the second finds the day closed and changes nothing, as does a
// retried or doubled close-of-business job.
//
// Thread-safety: safe to share; blocks on the database.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/time_zone.h"
#include "expr/expr.h"
#include "runtime/business_calendar.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/unit_of_work.h"

namespace oc::runtime {

// How the business date moved. Stored names "close", "manual"; never renamed.
enum class BusinessDateHow {
  kClose,   // the day was closed (日终): to the next working day
  kManual,  // an administrator moved it
};
std::string_view BusinessDateHowName(BusinessDateHow how);

struct BusinessDateChange {
  Date from;  // the business date before
  Date to;    // after; equal to `from` when nothing moved
  BusinessDateHow how = BusinessDateHow::kClose;
  // False only from CloseBusinessDay, when `closing` had been closed already.
  bool advanced = false;
  Message summary;  // what happened, in words for the job log and the administrator
};

struct BusinessDateHistoryEntry {
  int64_t id = 0;
  Date from;
  Date to;
  BusinessDateHow how = BusinessDateHow::kClose;
  std::optional<int64_t> actor_user_id;
  std::string actor;  // the username; "system" for the job
  Instant at;
};

// The business date with the calendar it moves by: what an expression is evaluated against.
struct BusinessDay {
  Date date;
  std::shared_ptr<const CalendarView> calendar;
  // TODAY() becomes the date; WORKDAY, NETWORKDAYS and ISWORKDAY count by the calendar.
  // REQUIRES: this BusinessDay outlives the evaluation (the context points into the calendar).
  void ApplyTo(expr::EvalContext& context) const;
};

// The business date's tables (business_date, business_date_history).
std::vector<storage::Migration> BusinessDateMigrations();

class BusinessDateService {
 public:
  // `calendar_key` names the calendar the date moves by; `zone` is the business zone, in which
  // the first use takes today's date. REQUIRES: `calendars` outlives the service.
  BusinessDateService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                      const EventLog& events, BusinessCalendarService& calendars,
                      std::string calendar_key, TimeZone zone);

  // The business date. On first use there is none yet, and it becomes today's date in the
  // business zone, or the next working day when today is not one (insert-if-absent: one node's
  // first use wins, the others read it); that is not a move, and is neither audited nor announced.
  Result<Date> Current();
  Result<Date> Current(storage::UnitOfWork& unit);

  // The business date with its calendar. Errors: as Current; kNotFound when the calendar is
  // missing.
  Result<BusinessDay> Today();

  // An administrator's move, to `to`, or to the next working day when `to` is absent.
  // Errors: kFailedPrecondition when `to` is not after the business date (the message names
  // both), or falls in a year the calendar has not scheduled; kInvalidArgument ("to",
  // "not_working_day") when the calendar does not count `to` as a working day (the message names
  // the next one that is); kNotFound when the calendar is missing; kAborted when the date moved
  // meanwhile (reload and decide again).
  Result<BusinessDateChange> Advance(const audit::Actor& actor, std::optional<Date> to);
  Result<BusinessDateChange> Advance(storage::UnitOfWork& unit, const audit::Actor& actor,
                                     std::optional<Date> to);

  // Closes the business day `closing`: when it is the business date, moves to the next working
  // day after it. When the business date is already past `closing`, changes nothing and says so
  // (advanced = false), so running it twice closes once. The close-of-business job therefore
  // passes the day its run closes — the day before the run's scheduled time, in the business
  // zone — and never Current(), which would close a further day on every retry.
  // Errors: kFailedPrecondition when the business date is before `closing` (a day not reached
  // cannot be closed, and closing it would skip the days between), or when the next working day
  // falls in a year the calendar has not scheduled; kNotFound when the calendar is missing.
  Result<BusinessDateChange> CloseBusinessDay(const audit::Actor& actor, Date closing);
  Result<BusinessDateChange> CloseBusinessDay(storage::UnitOfWork& unit, const audit::Actor& actor,
                                              Date closing);

  // The moves, newest first. Errors: kInvalidArgument ("limit") outside 1–500.
  Result<std::vector<BusinessDateHistoryEntry>> History(int limit);

 private:
  struct State {
    Date current;
    int64_t version = 0;
  };
  Result<std::optional<State>> Load(storage::Tx& tx) const;
  Result<State> LoadOrInitialise(storage::Tx& tx) const;
  // Moves from `state` to `to` if the row is still at state.version; false when it is not.
  Result<bool> Move(storage::Tx& tx, const audit::Actor& actor, const State& state, Date to,
                    BusinessDateHow how) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const EventLog& events_;
  BusinessCalendarService& calendars_;
  const std::string calendar_key_;
  const TimeZone zone_;
};

}  // namespace oc::runtime
