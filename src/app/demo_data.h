#pragma once
// The demo organisation seeded into an empty database, so a new installation shows a living
// system: a head office with its functional departments, two branches with teams, and one user
// for each built-in role. Later modules add demo customers and loans on top.

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/organization_service.h"

namespace oc::app {

struct DemoAccount {
  std::string username;
  std::string role;
  std::string password;  // random, shown once in the log
};

// REQUIRES: the database has no departments and no users.
Result<std::vector<DemoAccount>> SeedDemoOrganization(auth::OrganizationService& organization,
                                                      const audit::Actor& actor);

}  // namespace oc::app
