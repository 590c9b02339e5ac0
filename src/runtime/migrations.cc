#include "runtime/migrations.h"

#include "runtime/business_calendar.h"
#include "runtime/business_date.h"
#include "runtime/definitions.h"
#include "runtime/event_log.h"
#include "runtime/scheduler.h"
#include "runtime/todo_service.h"

namespace oc::runtime {

std::vector<storage::Migration> Migrations() {
  std::vector<storage::Migration> all;
  for (auto part : {EventMigrations(), SchedulerMigrations(), BusinessCalendarMigrations(),
                    BusinessDateMigrations(), DefinitionMigrations(), TodoMigrations()}) {
    for (auto& migration : part) all.push_back(std::move(migration));
  }
  return all;
}

}  // namespace oc::runtime
