#include "customers/relationship_service.h"

#include <array>
#include <boost/json.hpp>

#include "core/contact.h"
#include "core/decimal.h"
#include "core/masking.h"
#include "core/resident_id.h"
#include "core/text_normalize.h"

namespace oc::customers {

namespace {

namespace json = boost::json;
using storage::Tx;

constexpr std::string_view kPhoneContext = "customer_relation.person_phone";
constexpr std::string_view kIdNumberContext = "customer_relation.person_id_number";

struct RoleInfo {
  RelationRole role;
  std::string_view name;
  std::string_view zh_cn;
  std::string_view en_us;
};
constexpr std::array<RoleInfo, 7> kRoles = {{
    {RelationRole::kSpouse, "spouse", "配偶", "Spouse"},
    {RelationRole::kGuarantor, "guarantor", "担保人", "Guarantor"},
    {RelationRole::kCoBorrower, "co_borrower", "共同借款人", "Co-borrower"},
    {RelationRole::kShareholder, "shareholder", "股东", "Shareholder"},
    {RelationRole::kLegalRepresentative, "legal_representative", "法定代表人",
     "Legal representative"},
    {RelationRole::kActualController, "actual_controller", "实际控制人", "Actual controller"},
    {RelationRole::kEmergencyContact, "emergency_contact", "紧急联系人", "Emergency contact"},
}};

// A share is a percentage above 0 and at most 100, with at most two decimals ("35.5", "３５．５").
Result<int64_t> ParseSharePpm(std::string_view text) {
  const std::string folded = FoldFullWidth(text);
  std::string_view trimmed = folded;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  auto percent = trimmed.starts_with('+') ? std::nullopt : Decimal::Parse(trimmed);
  auto hundredths = percent ? percent->ToScaledInt64(2) : std::nullopt;
  if (!hundredths || *hundredths <= 0 || *hundredths > 100'00) {
    return InvalidField("share_percent", "out_of_range",
                        {"持股比例须大于 0 且不超过 100，最多两位小数",
                         "The share must be above 0 and at most 100, with at most two decimals"});
  }
  return *hundredths * 100;  // hundredths of a percent → millionths of the whole
}

std::string FormatSharePercent(int64_t ppm) { return Decimal::FromParts(ppm, 4).ToString(2); }

}  // namespace

std::string_view RelationRoleName(RelationRole role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) return info.name;
  }
  return "guarantor";
}

Message RelationRoleLabel(RelationRole role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) return {std::string(info.zh_cn), std::string(info.en_us)};
  }
  return {};
}

std::optional<RelationRole> RelationRoleFromName(std::string_view name) {
  for (const RoleInfo& info : kRoles) {
    if (info.name == name) return info.role;
  }
  return std::nullopt;
}

RelationshipService::RelationshipService(storage::Db& db, const Clock& clock,
                                         const audit::AuditLog& audit,
                                         const runtime::EventLog& events,
                                         const crypto::FieldCipher& cipher,
                                         CustomerService& customers)
    : db_(db),
      clock_(clock),
      audit_(audit),
      events_(events),
      cipher_(cipher),
      customers_(customers) {}

Result<json::object> RelationshipService::Add(const auth::Principal& principal,
                                              const audit::Actor& actor, CustomerId customer_id,
                                              const NewRelation& input) {
  return storage::UnitOfWork::RunValue<json::object>(db_, [&](storage::UnitOfWork& unit) {
    return Add(unit, principal, actor, customer_id, input);
  });
}

Result<json::object> RelationshipService::Add(storage::UnitOfWork& unit,
                                              const auth::Principal& principal,
                                              const audit::Actor& actor, CustomerId customer_id,
                                              const NewRelation& input) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerWrite));
  std::vector<FieldViolation> violations;
  std::string person_name = NormalizeName(input.person_name);
  std::optional<std::string> phone;
  std::optional<std::string> id_number;
  const bool gives_id_number = !NormalizeName(input.person_id_number).empty();
  if (input.related_customer_id) {
    if (*input.related_customer_id == customer_id) {
      violations.push_back({"related_customer_id", "self_link",
                            {"不能与自己建立关联", "A customer cannot be related to itself"}});
    }
    if (!person_name.empty()) {
      violations.push_back({"person_name", "not_applicable",
                            {"关联客户时无需填写姓名", "Give either a customer or a person"}});
    }
    if (gives_id_number) {
      violations.push_back({"person_id_number", "not_applicable",
                            {"关联客户时无需填写身份证号码，客户资料中已有",
                             "A related customer's ID number is in their own record"}});
    }
  } else {
    if (person_name.empty()) {
      violations.push_back({"person_name", "required",
                            {"请选择关联客户或填写姓名", "Choose a customer or give a name"}});
    } else if (Utf8Length(person_name) > 100) {
      violations.push_back({"person_name", "too_long", {"姓名过长", "The name is too long"}});
    }
    if (!input.person_phone.empty()) {
      auto normalized = NormalizeMobile(input.person_phone, "person_phone");
      if (normalized) {
        phone = *normalized;
      } else {
        violations.push_back(normalized.error().field_violations.at(0));
      }
    }
    if (gives_id_number) {
      auto parsed = ResidentIdNumber::Parse(input.person_id_number, "person_id_number");
      if (parsed) {
        id_number = parsed->value();
      } else {
        violations.push_back(parsed.error().field_violations.at(0));
      }
    }
  }
  std::optional<int64_t> share_ppm;
  if (input.role == RelationRole::kShareholder) {
    if (input.share_percent.empty()) {
      violations.push_back({"share_percent", "required",
                            {"股东须填写持股比例", "A shareholder needs a share"}});
    } else if (auto ppm = ParseSharePpm(input.share_percent)) {
      share_ppm = *ppm;
    } else {
      violations.push_back(ppm.error().field_violations.at(0));
    }
  } else if (!input.share_percent.empty()) {
    violations.push_back({"share_percent", "not_applicable",
                          {"只有股东有持股比例", "Only shareholders have a share"}});
  }
  if (Utf8Length(input.note) > 500) {
    violations.push_back({"note", "too_long", {"备注最多 500 字", "At most 500 characters"}});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  std::optional<std::string> phone_cipher;
  if (phone) {
    ASSIGN_OR_RETURN(auto c, cipher_.Encrypt(*phone, kPhoneContext));
    phone_cipher = std::move(c);
  }
  storage::Value id_number_cipher = storage::Null{};
  storage::Value id_number_bidx = storage::Null{};
  if (id_number) {
    ASSIGN_OR_RETURN(auto c, cipher_.Encrypt(*id_number, kIdNumberContext));
    id_number_cipher = storage::Blob{std::move(c)};
    id_number_bidx = storage::Blob{cipher_.BlindIndex(*id_number, kIdNumberContext)};
  }
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
  std::string role(RelationRoleName(input.role));
  if (input.related_customer_id) {
    // The counterpart must be readable by the caller; one outside their scope is answered
    // like one that does not exist, so that ids cannot be probed through links.
    if (auto visible = customers_.CheckVisible(tx, principal, *input.related_customer_id);
        !visible) {
      if (visible.error().code != ErrorCode::kNotFound) return visible.error();
      return InvalidField("related_customer_id", "unknown_customer",
                          {"关联客户不存在", "The related customer does not exist"});
    }
    ASSIGN_OR_RETURN(auto existing,
                     tx.QueryOne("SELECT id FROM customer_relations WHERE customer_id = ? AND "
                                 "role = ? AND related_customer_id = ? AND deleted_at_us IS "
                                 "NULL",
                                 {customer_id.value(), role, input.related_customer_id->value()}));
    if (existing) {
      Error e = InvalidField("related_customer_id", "duplicate",
                             {"该关联关系已存在", "This relation already exists"});
      e.code = ErrorCode::kAlreadyExists;
      return e;
    }
  }
  if (id_number) {
    // The same person twice in one role, found by the blind index: the caller typed the number,
    // so saying it is already there reveals nothing they did not give.
    ASSIGN_OR_RETURN(auto existing,
                     tx.QueryOne("SELECT id FROM customer_relations WHERE customer_id = ? AND "
                                 "role = ? AND person_id_number_bidx = ? AND deleted_at_us IS NULL",
                                 {customer_id.value(), role, id_number_bidx}));
    if (existing) {
      Error e = InvalidField("person_id_number", "duplicate",
                             {"该关联关系已存在", "This relation already exists"});
      e.code = ErrorCode::kAlreadyExists;
      return e;
    }
  }
  storage::Value related = input.related_customer_id
                               ? storage::Value(input.related_customer_id->value())
                               : storage::Value(storage::Null{});
  ASSIGN_OR_RETURN(
      int64_t id,
      tx.Insert(
          "INSERT INTO customer_relations (customer_id, role, related_customer_id, "
          "person_name, person_phone_enc, person_id_number_enc, person_id_number_bidx, "
          "share_ppm, note, created_at_us, created_by) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {customer_id.value(), role, related,
           person_name.empty() ? storage::Value(storage::Null{}) : storage::Value(person_name),
           phone_cipher ? storage::Value(storage::Blob{*phone_cipher})
                        : storage::Value(storage::Null{}),
           id_number_cipher, id_number_bidx,
           share_ppm ? storage::Value(*share_ppm) : storage::Value(storage::Null{}), input.note,
           now, principal.user_id.value()}));
  std::string counterpart = input.related_customer_id
                                ? "customer " + std::to_string(input.related_customer_id->value())
                                : person_name;
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kCustomerRelationAdded,
                                 .entity_type = "customer",
                                 .entity_id = std::to_string(customer_id.value()),
                                 .changes = {{"relation." + role, std::nullopt, counterpart}},
                                 .detail = "relation " + std::to_string(id)}));
  // A related person's name, phone and ID number stay in the relation row, read through it.
  RETURN_IF_ERROR(events_.Append(
      tx, actor,
      {.stream_type = "relation",
       .stream_id = std::to_string(id),
       .type = "relation.added",
       .payload = {{"customer_id", customer_id.value()},
                   {"role", role},
                   {"related_customer_id", input.related_customer_id
                                               ? json::value(input.related_customer_id->value())
                                               : json::value()},
                   {"share_ppm", share_ppm ? json::value(*share_ppm) : json::value()}}}));
  ASSIGN_OR_RETURN(auto all, ListIn(tx, principal, customer_id));
  for (auto& item : all) {
    if (item.at("id").as_int64() == id) return item;
  }
  return Internal("new relation not listed");
}

Result<std::vector<json::object>> RelationshipService::List(const auth::Principal& principal,
                                                            CustomerId customer_id) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  return db_.ReadValue<std::vector<json::object>>(
      [&](Tx& tx) { return ListIn(tx, principal, customer_id); });
}

Result<std::vector<json::object>> RelationshipService::ListIn(Tx& tx,
                                                              const auth::Principal& principal,
                                                              CustomerId customer_id) {
  RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id, customer_id, role, related_customer_id, "
                            "person_name, person_phone_enc, person_id_number_enc, share_ppm, note, "
                            "created_at_us FROM customer_relations WHERE deleted_at_us IS "
                            "NULL AND (customer_id = ? OR related_customer_id = ?) ORDER "
                            "BY id",
                            {customer_id.value(), customer_id.value()}));
  std::vector<json::object> out;
  for (const auto& row : rows) {
    bool outgoing = row.Int("customer_id") == customer_id.value();
    json::object item;
    item["id"] = row.Int("id");
    item["role"] = row.Text("role");
    item["direction"] = outgoing ? "outgoing" : "incoming";
    json::object counterpart;
    std::optional<int64_t> other =
        outgoing ? row.OptInt("related_customer_id") : row.OptInt("customer_id");
    if (other) {
      counterpart["customer_id"] = *other;
      // The name of a customer outside the caller's scope stays hidden, like the rest.
      if (customers_.CheckVisible(tx, principal, CustomerId(*other))) {
        ASSIGN_OR_RETURN(auto name, customers_.NameOf(tx, CustomerId(*other)));
        counterpart["name"] = name ? json::value(*name) : json::value(nullptr);
      } else {
        counterpart["name"] = nullptr;
      }
    } else {
      counterpart["name"] = row.OptText("person_name").value_or("");
      if (auto enc = row.OptBytes("person_phone_enc")) {
        ASSIGN_OR_RETURN(auto phone, cipher_.Decrypt(*enc, kPhoneContext));
        counterpart["phone"] = MaskMobile(phone);
      }
      if (auto enc = row.OptBytes("person_id_number_enc")) {
        ASSIGN_OR_RETURN(auto id_number, cipher_.Decrypt(*enc, kIdNumberContext));
        counterpart["id_number"] = MaskIdNumber(id_number);
      }
    }
    item["counterpart"] = std::move(counterpart);
    if (auto ppm = row.OptInt("share_ppm")) item["share_percent"] = FormatSharePercent(*ppm);
    item["note"] = row.Text("note");
    item["created_at"] = FormatInstant(FromUnixMicros(row.Int("created_at_us")));
    out.push_back(std::move(item));
  }
  return out;
}

Status RelationshipService::Remove(const auth::Principal& principal, const audit::Actor& actor,
                                   CustomerId customer_id, RelationId relation_id) {
  return storage::UnitOfWork::Run(db_, [&](storage::UnitOfWork& unit) {
    return Remove(unit, principal, actor, customer_id, relation_id);
  });
}

Status RelationshipService::Remove(storage::UnitOfWork& unit, const auth::Principal& principal,
                                   const audit::Actor& actor, CustomerId customer_id,
                                   RelationId relation_id) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerWrite));
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
  ASSIGN_OR_RETURN(auto row,
                   tx.QueryOne("SELECT role, customer_id, related_customer_id, person_name FROM "
                               "customer_relations WHERE id = ? AND deleted_at_us IS "
                               "NULL AND (customer_id = ? OR related_customer_id = ?)",
                               {relation_id.value(), customer_id.value(), customer_id.value()}));
  if (!row) return NotFound({"关联关系不存在", "Relation not found"});
  // A link belongs to both ends: removing it from one side changes the other's relations too,
  // so the caller must see both.
  for (std::optional<int64_t> end :
       {row->OptInt("customer_id"), row->OptInt("related_customer_id")}) {
    if (!end) continue;
    if (auto visible = customers_.CheckVisible(tx, principal, CustomerId(*end)); !visible) {
      if (visible.error().code != ErrorCode::kNotFound) return visible.error();
      return NotFound({"关联关系不存在", "Relation not found"});
    }
  }
  // Recorded as the link was added: "customer <id>" or the person's name, seen from this end.
  std::optional<int64_t> other = row->Int("customer_id") == customer_id.value()
                                     ? row->OptInt("related_customer_id")
                                     : row->OptInt("customer_id");
  const std::string removed_counterpart =
      other ? "customer " + std::to_string(*other) : row->Text("person_name");
  RETURN_IF_ERROR(
      tx.Execute("UPDATE customer_relations SET deleted_at_us = ?, deleted_by = ? "
                 "WHERE id = ?",
                 {ToUnixMicros(clock_.Now()), principal.user_id.value(), relation_id.value()}));
  RETURN_IF_ERROR(
      audit_.Append(tx, actor,
                    {.action = audit::Action::kCustomerRelationRemoved,
                     .entity_type = "customer",
                     .entity_id = std::to_string(customer_id.value()),
                     .changes = {{"relation." + row->Text(0), removed_counterpart, std::nullopt}},
                     .detail = "relation " + std::to_string(relation_id.value())}));
  RETURN_IF_ERROR(
      events_.Append(tx, actor,
                     {.stream_type = "relation",
                      .stream_id = std::to_string(relation_id.value()),
                      .type = "relation.removed",
                      .payload = {{"customer_id", customer_id.value()}, {"role", row->Text(0)}}}));
  return Ok();
}

}  // namespace oc::customers
