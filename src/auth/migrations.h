#pragma once

#include <vector>

#include "storage/migrations.h"

namespace oc::auth {

// Departments, users, roles and their permissions and scopes, sessions and failed logins; the
// built-in roles are inserted here so every database starts with them.
std::vector<storage::Migration> Migrations();

}  // namespace oc::auth
