#pragma once
// The runtime module's schema: the event log, outbox, timers and jobs, the business calendar and
// business date, the definitions registry, to-dos and notifications.

#include <vector>

#include "storage/migrations.h"

namespace oc::runtime {

// Every migration of the runtime tables, in order.
std::vector<storage::Migration> Migrations();

}  // namespace oc::runtime
