#pragma once
// The demo organisation seeded into an empty database, so a new installation shows a living
// system: a head office with its functional departments, two branches with teams, and one user
// for each built-in role. Later modules add demo customers and loans on top.

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "customers/customer_service.h"
#include "customers/followup_service.h"
#include "runtime/todo_service.h"

namespace oc::app {

struct DemoAccount {
  std::string username;
  std::string role;
  std::string password;  // random, shown once in the log
};

// REQUIRES: the database has no departments and no users.
Result<std::vector<DemoAccount>> SeedDemoOrganization(auth::OrganizationService& organization,
                                                      const audit::Actor& actor);

// About 200 customers for the demo account managers: individuals with valid resident ID numbers
// from real districts, enterprises with valid credit codes, plausible channels, risk levels, tags
// and incomes, follow-ups on some of them, and a few to-dos about them for each account manager.
// Deterministic (a fixed seed), so every demo looks the same. Returns how many customers were
// created. REQUIRES: SeedDemoOrganization ran on this database.
Result<int> SeedDemoCustomers(auth::OrganizationService& organization,
                              auth::SessionService& sessions,
                              customers::CustomerService& customer_service,
                              customers::FollowUpService& followups, runtime::TodoService& todos,
                              const Clock& clock);

}  // namespace oc::app
