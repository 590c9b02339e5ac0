#pragma once
// The customer entity's built-in definition: every field of an individual (个人) and an
// enterprise (企业) customer with its type, format, section and choices. It is registered in the
// metadata at start-up and the web form renders from it. The customers table is not: its
// migrations are frozen text, so a field added here needs a migration that adds its columns
// (src/app/schema_upgrade_test.cc fails while the table lacks a field's columns).

#include <string_view>
#include <vector>

#include "forms/field.h"
#include "storage/migrations.h"

namespace oc::customers {

inline constexpr std::string_view kCustomerEntity = "customer";

// Sections of the customer form; fields in "individual" apply only to individual customers and
// fields in "enterprise" only to enterprises.
inline constexpr std::string_view kIndividualSection = "individual";
inline constexpr std::string_view kEnterpriseSection = "enterprise";

forms::EntityDef CustomerEntity();

// The customers, related-party and follow-up tables, as frozen text.
std::vector<storage::Migration> Migrations();

}  // namespace oc::customers
