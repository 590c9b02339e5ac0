#pragma once
// The customer entity's built-in definition: every field of an individual (个人) and an
// enterprise (企业) customer with its type, format, section and choices. It is registered in the
// metadata at start-up and the web form renders from it. The customers table is not: its
// migrations are frozen text, so a field added here needs a migration that adds its columns
// (src/app/schema_upgrade_test.cc fails while the table lacks a field's columns).

#include <optional>
#include <string_view>
#include <vector>

#include "forms/field.h"
#include "storage/migrations.h"

namespace oc::customers {

inline constexpr std::string_view kCustomerEntity = "customer";

// The two kinds of customer: a person (个人) or a company (企业). Each has fields of its own.
enum class CustomerType { kIndividual, kEnterprise };

// The stored and API name of a type: "individual", "enterprise".
constexpr std::string_view CustomerTypeName(CustomerType type) {
  return type == CustomerType::kIndividual ? "individual" : "enterprise";
}
// The type named `name`, or nullopt.
std::optional<CustomerType> CustomerTypeFromName(std::string_view name);

// Sections of the customer form; fields in the individual section apply only to individual
// customers and fields in the enterprise section only to enterprises.
inline constexpr std::string_view kIndividualSection = CustomerTypeName(CustomerType::kIndividual);
inline constexpr std::string_view kEnterpriseSection = CustomerTypeName(CustomerType::kEnterprise);

forms::EntityDef CustomerEntity();

// The customers, related-party and follow-up tables, as frozen text.
std::vector<storage::Migration> Migrations();

}  // namespace oc::customers
