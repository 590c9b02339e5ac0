#pragma once

#include <vector>

#include "storage/migrations.h"

namespace oc::auth {

// Departments, users, roles and their permissions and scopes, sessions, and the events the rate
// limiter counts (failed sign-ins, lookups of personal data); the built-in roles are inserted
// here so every database starts with them.
std::vector<storage::Migration> Migrations();

}  // namespace oc::auth
