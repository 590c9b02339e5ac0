#include "runtime/business_date.h"

#include <utility>

#include "audit/action.h"

namespace oc::runtime {

using storage::Tx;

namespace {

Result<Date> ReadDate(const std::string& text) {
  auto date = Date::Parse(text);
  if (!date) return Internal("the business date is stored as \"" + text + "\"");
  return *date;
}

std::optional<BusinessDateHow> HowFromName(std::string_view name) {
  if (name == "close") return BusinessDateHow::kClose;
  if (name == "manual") return BusinessDateHow::kManual;
  return std::nullopt;
}

// The calendar knows this year's holidays, or the move would guess them from the work week.
Status CheckScheduled(const CalendarView& calendar, Date to) {
  if (calendar.IsYearScheduled(to.year())) return Ok();
  const std::string year = std::to_string(to.year());
  return MakeError(ErrorCode::kFailedPrecondition,
                   {"工作日历 " + calendar.key() + " 尚未导入 " + year +
                        " 年的节假日安排，营业日不能推进到 " + to.ToString() + "；请先导入该年安排",
                    "Calendar " + calendar.key() + " has no holiday schedule for " + year +
                        " yet, so the business date cannot move to " + to.ToString() +
                        "; import that year first"});
}

Message Moved(Date from, Date to) {
  return {"营业日已由 " + from.ToString() + " 推进到 " + to.ToString(),
          "The business date moved from " + from.ToString() + " to " + to.ToString()};
}

}  // namespace

std::string_view BusinessDateHowName(BusinessDateHow how) {
  return how == BusinessDateHow::kManual ? "manual" : "close";
}

std::vector<storage::Migration> BusinessDateMigrations() {
  // Frozen text: a change to these tables needs a migration of its own. The CHECK keeps the
  // business date a single row.
  return {{.id = "runtime_0004_business_date", .sql = R"sql(
CREATE TABLE business_date (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  current_day TEXT NOT NULL,
  version {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);

CREATE TABLE business_date_history (
  id {{id}},
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('close', 'manual')),
  actor_user_id {{bigint}},
  actor_name TEXT NOT NULL,
  at_us {{bigint}} NOT NULL
);
)sql"}};
}

BusinessDateService::BusinessDateService(storage::Db& db, const Clock& clock,
                                         const audit::AuditLog& audit, const EventLog& events,
                                         BusinessCalendarService& calendars,
                                         std::string calendar_key, TimeZone zone)
    : db_(db),
      clock_(clock),
      audit_(audit),
      events_(events),
      calendars_(calendars),
      calendar_key_(std::move(calendar_key)),
      zone_(std::move(zone)) {}

Result<std::optional<BusinessDateService::State>> BusinessDateService::Load(Tx& tx) const {
  ASSIGN_OR_RETURN(auto row,
                   tx.QueryOne("SELECT current_day, version FROM business_date WHERE id = 1"));
  if (!row) return std::optional<State>();
  ASSIGN_OR_RETURN(Date current, ReadDate(row->Text(0)));
  return std::optional<State>(State{.current = current, .version = row->Int(1)});
}

Result<BusinessDateService::State> BusinessDateService::LoadOrInitialise(Tx& tx) const {
  ASSIGN_OR_RETURN(std::optional<State> state, Load(tx));
  if (state) return *state;
  const Instant now = clock_.Now();
  // The ledger opens on a working day: started on a Saturday, it opens on Monday, where it
  // would stand after Friday's close.
  ASSIGN_OR_RETURN(auto calendar, calendars_.View(tx, calendar_key_));
  Date first = zone_.DateOf(now);
  if (!calendar->IsWorkingDay(first)) first = calendar->NextWorkingDay(first);
  // Another node's first use may insert at the same moment; whichever commits first decides the
  // date, and the other reads it.
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO business_date (id, current_day, version, updated_at_us) VALUES (1, ?, 1, ?) "
      "ON CONFLICT DO NOTHING",
      {first.ToString(), ToUnixMicros(now)}));
  ASSIGN_OR_RETURN(state, Load(tx));
  if (!state) return Internal("the business date row is missing right after its insert");
  return *state;
}

Result<Date> BusinessDateService::Current() {
  ASSIGN_OR_RETURN(std::optional<State> state,
                   db_.ReadValue<std::optional<State>>([&](Tx& tx) { return Load(tx); }));
  if (state) return state->current;
  return storage::UnitOfWork::RunValue<Date>(
      db_, [&](storage::UnitOfWork& unit) { return Current(unit); });
}

Result<Date> BusinessDateService::Current(storage::UnitOfWork& unit) {
  ASSIGN_OR_RETURN(State state, LoadOrInitialise(unit.tx()));
  return state.current;
}

Result<bool> BusinessDateService::Move(Tx& tx, const audit::Actor& actor, const State& state,
                                       Date to, BusinessDateHow how) const {
  const Instant now = clock_.Now();
  // Compare-and-set: on PostgreSQL a concurrent mover's update makes this one wait for its
  // commit and then match no row, which the caller reads as "moved meanwhile".
  ASSIGN_OR_RETURN(int64_t changed,
                   tx.Execute("UPDATE business_date SET current_day = ?, version = version + 1, "
                              "updated_at_us = ? WHERE id = 1 AND version = ?",
                              {to.ToString(), ToUnixMicros(now), state.version}));
  if (changed != 1) return false;
  storage::Value user_id = storage::Null{};
  if (actor.user_id) user_id = *actor.user_id;
  const std::string how_name(BusinessDateHowName(how));
  RETURN_IF_ERROR(tx.Insert(
      "INSERT INTO business_date_history (from_date, to_date, how, actor_user_id, actor_name, "
      "at_us) VALUES (?, ?, ?, ?, ?, ?)",
      {state.current.ToString(), to.ToString(), how_name, user_id, actor.username,
       ToUnixMicros(now)}));
  RETURN_IF_ERROR(events_.Append(
      tx, actor,
      {.stream_type = "business_date",
       .stream_id = "current",
       .type = "business_date.advanced",
       .payload = {{"from", state.current.ToString()}, {"to", to.ToString()}, {"how", how_name}}}));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kBusinessDateAdvanced,
                                 .entity_type = "business_date",
                                 .entity_id = "current",
                                 .changes = {{.field = "business_date",
                                              .before = state.current.ToString(),
                                              .after = to.ToString()}},
                                 .detail = how_name}));
  return true;
}

Result<BusinessDateChange> BusinessDateService::Advance(const audit::Actor& actor,
                                                        std::optional<Date> to) {
  return storage::UnitOfWork::RunValue<BusinessDateChange>(
      db_, [&](storage::UnitOfWork& unit) { return Advance(unit, actor, to); });
}

Result<BusinessDateChange> BusinessDateService::Advance(storage::UnitOfWork& unit,
                                                        const audit::Actor& actor,
                                                        std::optional<Date> to) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(State state, LoadOrInitialise(tx));
  ASSIGN_OR_RETURN(auto calendar, calendars_.View(tx, calendar_key_));
  const Date target = to ? *to : calendar->NextWorkingDay(state.current);
  if (target <= state.current) {
    const std::string now = state.current.ToString();
    const std::string asked = target.ToString();
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"营业日只能向后推进：当前营业日是 " + now + "，" + asked + " 不在其后",
                      "The business date only moves forward: it is " + now + ", and " + asked +
                          " is not after it"});
  }
  RETURN_IF_ERROR(CheckScheduled(*calendar, target));
  if (!calendar->IsWorkingDay(target)) {
    const std::string asked = target.ToString();
    const std::string next = calendar->NextWorkingDay(target).ToString();
    return InvalidField("to", "not_working_day",
                        {asked + " 在工作日历中不是工作日（其后第一个工作日是 " + next +
                             "）；如确需在该日营业，请先在工作日历中把它设为工作日",
                         asked + " is not a working day of the calendar (the next one is " + next +
                             "); to open on it, make it a working day in the calendar first"});
  }
  ASSIGN_OR_RETURN(bool moved, Move(tx, actor, state, target, BusinessDateHow::kManual));
  if (!moved) {
    return MakeError(ErrorCode::kAborted,
                     {"营业日刚被他人推进，请刷新后重试",
                      "The business date moved just now; reload and try again"});
  }
  return BusinessDateChange{.from = state.current,
                            .to = target,
                            .how = BusinessDateHow::kManual,
                            .advanced = true,
                            .summary = Moved(state.current, target)};
}

Result<BusinessDateChange> BusinessDateService::CloseBusinessDay(const audit::Actor& actor,
                                                                 Date closing) {
  return storage::UnitOfWork::RunValue<BusinessDateChange>(
      db_, [&](storage::UnitOfWork& unit) { return CloseBusinessDay(unit, actor, closing); });
}

Result<BusinessDateChange> BusinessDateService::CloseBusinessDay(storage::UnitOfWork& unit,
                                                                 const audit::Actor& actor,
                                                                 Date closing) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(State state, LoadOrInitialise(tx));
  auto already_closed = [&](Date current) {
    return BusinessDateChange{
        .from = current,
        .to = current,
        .how = BusinessDateHow::kClose,
        .advanced = false,
        .summary = {
            closing.ToString() + " 已日终，当前营业日是 " + current.ToString() + "，未作改动",
            closing.ToString() + " was closed already; the business date is " + current.ToString() +
                " and stays so"}};
  };
  if (state.current > closing) return already_closed(state.current);
  if (state.current < closing) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        {"不能为 " + closing.ToString() + " 日终：当前营业日还是 " + state.current.ToString(),
         "Cannot close " + closing.ToString() + ": the business date is still " +
             state.current.ToString()});
  }
  ASSIGN_OR_RETURN(auto calendar, calendars_.View(tx, calendar_key_));
  const Date next = calendar->NextWorkingDay(closing);
  RETURN_IF_ERROR(CheckScheduled(*calendar, next));
  ASSIGN_OR_RETURN(bool moved, Move(tx, actor, state, next, BusinessDateHow::kClose));
  if (!moved) {
    // Another node closed a moment before; on PostgreSQL this statement sees its commit.
    ASSIGN_OR_RETURN(State now, LoadOrInitialise(tx));
    if (now.current > closing) return already_closed(now.current);
    return MakeError(ErrorCode::kAborted,
                     {"营业日刚被他人修改，请重试", "The business date changed just now; retry"});
  }
  return BusinessDateChange{.from = closing,
                            .to = next,
                            .how = BusinessDateHow::kClose,
                            .advanced = true,
                            .summary = Moved(closing, next)};
}

Result<std::vector<BusinessDateHistoryEntry>> BusinessDateService::History(int limit) {
  if (limit < 1 || limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  return db_.ReadValue<std::vector<BusinessDateHistoryEntry>>(
      [&](Tx& tx) -> Result<std::vector<BusinessDateHistoryEntry>> {
        ASSIGN_OR_RETURN(storage::Rows rows,
                         tx.Query("SELECT id, from_date, to_date, how, actor_user_id, actor_name, "
                                  "at_us FROM business_date_history ORDER BY id DESC LIMIT ?",
                                  {int64_t{limit}}));
        std::vector<BusinessDateHistoryEntry> entries;
        for (const storage::Row& row : rows) {
          ASSIGN_OR_RETURN(Date from, ReadDate(row.Text("from_date")));
          ASSIGN_OR_RETURN(Date to, ReadDate(row.Text("to_date")));
          entries.push_back({.id = row.Int("id"),
                             .from = from,
                             .to = to,
                             .how = HowFromName(row.Text("how")).value_or(BusinessDateHow::kClose),
                             .actor_user_id = row.OptInt("actor_user_id"),
                             .actor = row.Text("actor_name"),
                             .at = FromUnixMicros(row.Int("at_us"))});
        }
        return entries;
      });
}

void BusinessDay::ApplyTo(expr::EvalContext& context) const {
  context.today = date;
  calendar->ApplyTo(context);
}

Result<BusinessDay> BusinessDateService::Today() {
  ASSIGN_OR_RETURN(Date date, Current());
  ASSIGN_OR_RETURN(auto calendar, calendars_.View(calendar_key_));
  return BusinessDay{date, std::move(calendar)};
}

}  // namespace oc::runtime
