#include "customers/customer_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/contact.h"
#include "core/resident_id.h"
#include "core/text_normalize.h"
#include "customers/customer_entity.h"
#include "forms/record_codec.h"

namespace oc::customers {

namespace {

namespace json = boost::json;
using storage::Tx;

constexpr size_t kMaxReassign = 500;
// The fields customer.classify may set without customer.write.
constexpr std::string_view kClassificationFields[] = {"risk_level", "status"};
// The largest batch, which is an import's unit of commit. A commit writes every index page it
// touched, and the name and blind indexes, keyed at random, touch a fresh page for nearly every
// row of a small batch: at a million customers, batches of 20,000 load about a quarter faster
// than batches of 5,000. Other writes wait for such a commit, about a second on two cores.
constexpr size_t kMaxBatch = 20000;

Message NotFoundMessage() { return {"客户不存在", "Customer not found"}; }

// Whom the safeguards count: the user, whichever node or session they come through.
std::string RateSubject(const auth::Principal& principal) {
  return "user:" + std::to_string(principal.user_id.value());
}

std::string Minutes(std::chrono::seconds wait) {
  return std::to_string(std::max<int64_t>(1, (wait.count() + 59) / 60));
}

// Who owns a customer, by name: lists and headers show people, not user ids.
constexpr std::string_view kOwnerJoin =
    " LEFT JOIN users ou ON ou.id = c.owner_id LEFT JOIN departments od ON od.id = "
    "c.department_id";
constexpr std::string_view kOwnerColumns =
    "c.id, c.version, ou.display_name AS owner_name, od.name AS department_name, ";

json::object WithRecordFacts(json::object item, const storage::Row& row) {
  item["id"] = row.Int("id");
  item["version"] = row.Int("version");
  auto owner = row.OptText("owner_name");
  item["owner_name"] = owner ? json::value(*owner) : json::value(nullptr);
  auto department = row.OptText("department_name");
  item["department_name"] = department ? json::value(*department) : json::value(nullptr);
  return item;
}

std::optional<std::string> StringMember(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// Present and not blank: the record codec clears a field given as an all-whitespace text.
bool HasValue(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (!v->is_string()) return true;
  std::string_view text = v->get_string();
  while (!text.empty()) {
    if (text.starts_with("\u3000")) {
      text.remove_prefix(3);
    } else if (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
               text.front() == '\r') {
      text.remove_prefix(1);
    } else {
      return true;
    }
  }
  return false;
}

void Append(std::vector<FieldViolation>& to, const Error& error) {
  for (const auto& v : error.field_violations) to.push_back(v);
}

// Whether the input names an identity that a duplicate check looks up.
bool CarriesIdentity(const forms::RecordValues& values);

// The blind index of a decoded sensitive field, or nullopt when it was not given or cleared.
std::optional<std::string> BlindIndexOf(const forms::RecordValues& values, std::string_view name) {
  const forms::FieldValue* f = values.Find(name);
  if (!f || f->columns.size() != 2) return std::nullopt;
  if (const auto* blob = std::get_if<storage::Blob>(&f->columns[1])) return blob->bytes;
  if (const auto* text = std::get_if<std::string>(&f->columns[1])) return *text;
  return std::nullopt;
}

std::optional<std::string> PlainOf(const forms::RecordValues& values, std::string_view name) {
  const forms::FieldValue* f = values.Find(name);
  if (!f || !f->value.is_string()) return std::nullopt;
  return std::string(f->value.get_string());
}

bool CarriesIdentity(const forms::RecordValues& values) {
  return BlindIndexOf(values, "id_number") || PlainOf(values, "credit_code");
}

// Standardises the identity document of an individual in `input` and derives or checks the
// birth date and gender it carries. `id_type` is the document type in force.
void StandardiseIdentity(json::object& input, std::string_view id_type,
                         std::vector<FieldViolation>& violations) {
  auto raw = StringMember(input, "id_number");
  if (!raw || raw->empty()) return;
  // Other documents are standardised by the field's id_document format in the record codec.
  if (id_type != "resident_id") return;
  auto id = ResidentIdNumber::Parse(*raw, "id_number");
  if (!id) {
    Append(violations, id.error());
    return;
  }
  input["id_number"] = id->value();
  std::string birth = id->birth_date().ToString();
  std::string gender = id->gender() == ResidentIdNumber::Gender::kMale ? "male" : "female";
  if (auto given = StringMember(input, "birth_date"); given && !given->empty()) {
    // The expected date stays unsaid: told to a caller who sees the number masked, it would
    // rebuild the number.
    if (*given != birth) {
      violations.push_back(
          {"birth_date",
           "mismatch_id_number",
           {"出生日期与身份证号码不符", "The birth date does not match the ID number"}});
    }
  } else {
    input["birth_date"] = birth;
  }
  if (auto given = StringMember(input, "gender"); given && !given->empty()) {
    if (*given != gender) {
      violations.push_back({"gender", "mismatch_id_number",
                            {"性别与身份证号码不符", "The gender does not match the ID number"}});
    }
  } else {
    input["gender"] = gender;
  }
}

// Fields of the other customer type must stay empty: an enterprise has no marital status.
void CheckApplicable(const forms::EntityDef& entity, const json::object& input,
                     std::optional<CustomerType> type, std::vector<FieldViolation>& violations) {
  std::string_view foreign =
      type == CustomerType::kIndividual ? kEnterpriseSection : kIndividualSection;
  for (const auto& field : entity.fields) {
    if (field.section == foreign && HasValue(input, field.name)) {
      violations.push_back({field.name, "not_applicable",
                            {"该字段不适用于此类客户", "This field does not apply to this "
                                                       "type of customer"}});
    }
  }
}

// The fields each type of customer must have, beyond the entity's required ones.
std::vector<std::pair<const char*, Message>> RequiredForType(std::optional<CustomerType> type) {
  if (type == CustomerType::kIndividual) {
    return {{"id_number", {"个人客户必须填写证件号码", "An individual needs an ID number"}},
            {"phone", {"个人客户必须填写手机号码", "An individual needs a mobile phone"}}};
  }
  return {};
}

// A new customer of `type` has every field its type requires.
void CheckRequiredForType(const json::object& input, std::optional<CustomerType> type,
                          std::vector<FieldViolation>& violations) {
  for (auto& [name, message] : RequiredForType(type)) {
    if (!HasValue(input, name)) violations.push_back({name, "required", message});
  }
}

// A patch keeps them: it may change such a field but not clear it (null or an empty text).
void CheckRequiredKept(const json::object& patch, std::optional<CustomerType> type,
                       std::vector<FieldViolation>& violations) {
  for (auto& [name, message] : RequiredForType(type)) {
    if (patch.contains(name) && !HasValue(patch, name)) {
      violations.push_back({name, "required", message});
    }
  }
}

constexpr std::string_view kPendingReason = "credit_code_pending_reason";
constexpr size_t kMinPendingReasonLength = 2;

// An enterprise gives its credit code or says why it is still pending. The reason stands only
// while the code is missing: once the input gives a code, a reason it gives or the record holds
// is cleared. `had_code` and `had_reason` say what the stored record holds (false when new).
void CheckCreditCodeOrReason(json::object& input, bool had_code, bool had_reason,
                             std::vector<FieldViolation>& violations) {
  const bool gives_code = input.contains("credit_code");
  const bool gives_reason = input.contains(kPendingReason);
  const bool has_code = gives_code ? HasValue(input, "credit_code") : had_code;
  const bool has_reason = gives_reason ? HasValue(input, kPendingReason) : had_reason;
  if (!has_code && !has_reason) {
    violations.push_back({"credit_code",
                          "required",
                          {"企业客户须填写统一社会信用代码，或填写信用代码暂缺原因",
                           "An enterprise needs a credit code, or the reason it is pending"}});
    return;
  }
  if (has_code) {
    if (gives_reason || had_reason) input[kPendingReason] = nullptr;
    return;
  }
  auto reason = StringMember(input, kPendingReason);
  if (gives_reason && reason && Utf8Length(NormalizeName(*reason)) < kMinPendingReasonLength) {
    violations.push_back({std::string(kPendingReason),
                          "too_short",
                          {"信用代码暂缺原因至少 2 个字", "The reason must be at least 2 characters"}});
  }
}

// An individual's phone is a mobile, though the field's format also takes the landlines that
// companies give. Standardises it in `input`; a bad one is reported here and left out of what the
// record codec decodes, so it is reported once.
void StandardiseIndividualPhone(json::object& input, std::vector<FieldViolation>& violations) {
  auto raw = StringMember(input, "phone");
  if (!raw || !HasValue(input, "phone")) return;
  auto mobile = NormalizeMobile(*raw, "phone");
  if (mobile) {
    input["phone"] = *mobile;
    return;
  }
  Append(violations, mobile.error());
  input.erase("phone");
}

// What phone_tail holds for a customer: the last four digits of the phone lists show for it
// (display_phone) — an individual's mobile; an enterprise's contact phone, else its own phone.
storage::Value PhoneTailOf(std::optional<CustomerType> type,
                           const std::optional<std::string>& phone,
                           const std::optional<std::string>& contact_phone) {
  const std::optional<std::string>& shown =
      type == CustomerType::kEnterprise && contact_phone ? contact_phone : phone;
  if (!shown) return storage::Null{};
  std::string tail = PhoneTail(*shown);
  if (tail.empty()) return storage::Null{};
  return tail;
}

// The plaintext of the phone field `name` once `after` is applied to the stored `before`.
Result<std::optional<std::string>> PhoneAfter(const forms::EntityDef& entity,
                                              const crypto::FieldCipher& cipher,
                                              const storage::Row& before,
                                              const forms::RecordValues& after,
                                              std::string_view name) {
  if (const forms::FieldValue* given = after.Find(name)) {
    if (!given->value.is_string()) return std::optional<std::string>();
    return std::optional<std::string>(std::string(given->value.get_string()));
  }
  const forms::FieldDef* field = entity.Find(name);
  auto stored = field ? before.OptBytes(forms::CipherColumn(*field)) : std::nullopt;
  if (!stored) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string plain,
                   cipher.Decrypt(*stored, forms::CipherContext(entity, *field)));
  return std::optional<std::string>(std::move(plain));
}

// The phone a list shows, masked as the item already holds it.
json::value DisplayPhone(const json::object& item) {
  const bool enterprise = StringMember(item, "type") == CustomerTypeName(CustomerType::kEnterprise);
  if (enterprise) {
    if (const json::value* contact = item.if_contains("contact_phone");
        contact && contact->is_string()) {
      return *contact;
    }
  }
  const json::value* phone = item.if_contains("phone");
  return phone && phone->is_string() ? *phone : json::value(nullptr);
}

// Marks a customer whose phone_tail is yet to be computed from its encrypted phones (set by
// customers_0007 on the rows it found, filled by FillPendingPhoneTails).
constexpr std::string_view kPendingTail = "*";
constexpr int64_t kTailFillBatch = 500;

}  // namespace

// A validated new customer with everything the write transaction needs already rendered — the
// INSERT, its parameters and the audit entry — so the transaction (on SQLite: the one writer
// thread every request shares) only runs statements.
struct CustomerService::Prepared {
  const auth::Principal* principal = nullptr;  // who creates it
  forms::RecordValues values;
  auth::UserId owner_id;
  bool owner_is_caller = true;
  std::string insert_sql;
  storage::Params params;
  size_t department_param = 0;  // the caller's department; replaced by the owner's in Insert
  audit::Entry audit;           // entity_id filled in by Insert
  runtime::NewEvent event;      // customer.created; stream_id and department filled in by Insert
};

CustomerService::CustomerService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                                 const runtime::EventLog& events, forms::EntityRegistry& registry,
                                 const crypto::FieldCipher& cipher, CustomerSafeguards safeguards)
    : db_(db),
      clock_(clock),
      audit_(audit),
      events_(events),
      registry_(registry),
      cipher_(cipher),
      safeguards_(std::move(safeguards)),
      limiter_(clock) {}

Result<std::shared_ptr<const forms::EntityDef>> CustomerService::Entity() {
  return registry_.Get(kCustomerEntity);
}

Status CustomerService::CheckDuplicateBudget(Tx& tx, const auth::Principal& principal) {
  ASSIGN_OR_RETURN(auto retry,
                   limiter_.RetryAfter(tx, safeguards_.duplicate_findings, RateSubject(principal)));
  if (!retry) return Ok();
  Error error = MakeError(ErrorCode::kResourceExhausted,
                          {"短时间内查到的重复客户过多，请 " + Minutes(*retry) + " 分钟后再登记",
                           "Too many duplicates found in a short time; register customers again "
                           "in " +
                               Minutes(*retry) + " minutes"});
  error.retry_after = *retry;
  return error;
}

Error CustomerService::RecordDuplicateFinding(storage::UnitOfWork& unit,
                                              const auth::Principal& principal,
                                              const audit::Actor& actor, Error found) {
  const auto existing = found.extensions.find("existing_id");
  const std::string field =
      found.field_violations.empty() ? std::string() : found.field_violations.front().field;
  // The finding is kept when the use case rolls back, as it does on the refusal it causes.
  unit.Regardless([this, subject = RateSubject(principal), actor,
                   entity_id = existing == found.extensions.end()
                                   ? std::string()
                                   : std::to_string(std::get<int64_t>(existing->second)),
                   detail = "by " + field](Tx& tx) -> Status {
    RETURN_IF_ERROR(limiter_.Record(tx, safeguards_.duplicate_findings, subject));
    return audit_.Append(tx, actor,
                         {.action = audit::Action::kCustomerDuplicateFound,
                          .entity_type = "customer",
                          .entity_id = entity_id,
                          .detail = detail});
  });
  return found;
}

Status CustomerService::RegisterEntity() {
  forms::EntityDef entity = CustomerEntity();
  return db_.Write([&](Tx& tx) { return registry_.RegisterBuiltin(tx, entity); });
}

Result<Error> CustomerService::Duplicate(Tx& tx, const auth::Principal& principal,
                                         std::string_view field, CustomerId existing_id) const {
  ASSIGN_OR_RETURN(auto existing,
                   tx.QueryOne("SELECT c.name, c.owner_id, c.department_id, d.path, "
                               "u.display_name FROM customers c JOIN users u ON u.id = "
                               "c.owner_id JOIN departments d ON d.id = c.department_id WHERE "
                               "c.id = ?",
                               {existing_id.value()}));
  if (!existing) return Internal("duplicate customer vanished");
  // Staff settle a 撞单 with the customer's manager, so the manager is always named. The
  // customer's own name only to a caller who may open the record: to anyone else it would tie
  // the number they typed to a person of another team's book. Each finding is counted and
  // audited (RecordDuplicateFinding), which keeps this from serving as a directory.
  const bool may_open =
      principal.Has(auth::Permission::kCustomerRead) &&
      principal.CanAccess("customer", auth::UserId(existing->Int(1)),
                          auth::DepartmentId(existing->Int(2)), existing->Text(3));
  const std::string manager = existing->Text(4);
  const std::string zh_subject =
      field == "credit_code" ? "该统一社会信用代码已登记为客户" : "该证件号码已登记为客户";
  const std::string en_subject = field == "credit_code"
                                     ? "This credit code is already registered to a customer"
                                     : "This ID number is already registered to a customer";
  const std::string name = may_open ? existing->Text(0) : std::string();
  Message message{
      zh_subject + (may_open ? " " + name : "") + "（客户经理 " + manager + "）",
      en_subject + (may_open ? ", " + name + "," : "") + " (account manager " + manager + ")"};
  Error error = InvalidField(std::string(field), "duplicate", message);
  error.code = ErrorCode::kAlreadyExists;
  error.message = message;
  error.extensions["existing_id"] = existing_id.value();
  if (may_open) error.extensions["existing_name"] = name;
  error.extensions["existing_owner_name"] = manager;
  error.extensions["may_open"] = may_open;
  return error;
}

Result<CustomerService::Prepared> CustomerService::Prepare(const auth::Principal& principal,
                                                          const audit::Actor& actor,
                                                          const forms::EntityDef& entity,
                                                          const json::object& raw) {
  json::object input = raw;
  std::vector<FieldViolation> violations;
  Prepared prepared{.principal = &principal, .owner_id = principal.user_id};

  if (const auto* owner = input.if_contains("owner_id"); owner && !owner->is_null()) {
    if (!owner->is_int64() || owner->get_int64() <= 0) {
      violations.push_back({"owner_id", "wrong_type",
                            {"必须是用户 ID", "must be a user id"}});
    } else if (owner->get_int64() != principal.user_id.value()) {
      RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerReassign));
      prepared.owner_id = auth::UserId(owner->get_int64());
      prepared.owner_is_caller = false;
    }
  }

  const std::optional<CustomerType> type =
      CustomerTypeFromName(StringMember(input, "type").value_or(""));
  if (type == CustomerType::kIndividual) {
    if (!HasValue(input, "id_type")) input["id_type"] = "resident_id";
    StandardiseIdentity(input, StringMember(input, "id_type").value_or(""), violations);
  }
  CheckApplicable(entity, input, type, violations);
  CheckRequiredForType(input, type, violations);
  if (type == CustomerType::kIndividual) StandardiseIndividualPhone(input, violations);
  if (type == CustomerType::kEnterprise) CheckCreditCodeOrReason(input, false, false, violations);

  auto values = forms::DecodeInput(entity, input,
                                   {.mode = forms::DecodeMode::kCreate,
                                    .caller_fields = {"owner_id"}},
                                   cipher_);
  if (!values) {
    if (values.error().code != ErrorCode::kInvalidArgument) return values.error();
    // The type-specific checks may already have named a field; report each field once.
    std::set<std::string> named;
    for (const auto& v : violations) named.insert(v.field);
    for (const auto& v : values.error().field_violations) {
      if (!named.contains(v.field)) violations.push_back(v);
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  prepared.values = std::move(*values);
  const forms::RecordValues& v = prepared.values;

  const int64_t now = ToUnixMicros(clock_.Now());
  storage::Value by =
      actor.user_id ? storage::Value(*actor.user_id) : storage::Value(storage::Null{});
  prepared.insert_sql = "INSERT INTO customers (" + v.ColumnList() + (v.empty() ? "" : ", ") +
                        "owner_id, department_id, version, created_at_us, created_by, "
                        "updated_at_us, updated_by, phone_tail) VALUES (" +
                        v.PlaceholderList() + (v.empty() ? "" : ", ") + "?, ?, 1, ?, ?, ?, ?, ?)";
  prepared.params = v.Params();
  prepared.department_param = prepared.params.size() + 1;
  prepared.params.insert(prepared.params.end(),
                         {prepared.owner_id.value(), principal.department_id.value(), now, by, now,
                          by, PhoneTailOf(type, PlainOf(v, "phone"), PlainOf(v, "contact_phone"))});

  ASSIGN_OR_RETURN(forms::RecordChanges changes, forms::ChangesOf(entity, nullptr, v, cipher_));
  changes.audit.push_back({"owner_id", std::nullopt, std::to_string(prepared.owner_id.value())});
  prepared.audit = audit_.Prepare(actor, {.action = audit::Action::kCustomerCreate,
                                          .entity_type = "customer",
                                          .changes = std::move(changes.audit)});
  prepared.event = {
      .stream_type = "customer",
      .type = "customer.created",
      .payload = {{"customer_type", type ? json::value(CustomerTypeName(*type)) : json::value()},
                  {"owner_id", prepared.owner_id.value()},
                  {"department_id", principal.department_id.value()},
                  {"changes", std::move(changes.event)}}};
  return prepared;
}

Status CustomerService::CheckNoDuplicate(Tx& tx, const auth::Principal& principal,
                                         const forms::RecordValues& values,
                                         std::optional<CustomerId> except_id) {
  struct Key {
    const char* field;
    const char* column;
    std::optional<storage::Value> value;
  };
  auto id_bidx = BlindIndexOf(values, "id_number");
  auto credit_code = PlainOf(values, "credit_code");
  const Key keys[] = {
      {"id_number", "id_number_bidx",
       id_bidx ? std::optional<storage::Value>(storage::Blob{*id_bidx}) : std::nullopt},
      {"credit_code", "credit_code",
       credit_code ? std::optional<storage::Value>(*credit_code) : std::nullopt}};
  for (const Key& key : keys) {
    if (!key.value) continue;
    ASSIGN_OR_RETURN(auto existing,
                     tx.QueryOne("SELECT id FROM customers WHERE " + std::string(key.column) +
                                     " = ? AND deleted_at_us IS NULL AND id <> ?",
                                 {*key.value, except_id.value_or(CustomerId()).value()}));
    if (existing) {
      ASSIGN_OR_RETURN(Error found,
                       Duplicate(tx, principal, key.field, CustomerId(existing->Int(0))));
      return found;
    }
  }
  return Ok();
}

Result<auth::DepartmentId> CustomerService::OwnerDepartment(Tx& tx,
                                                            const auth::Principal& principal,
                                                            auth::UserId owner_id) {
  ASSIGN_OR_RETURN(auto owner, tx.QueryOne("SELECT u.department_id, d.path FROM users u JOIN "
                                           "departments d ON d.id = u.department_id WHERE "
                                           "u.id = ? AND u.status = 'active'",
                                           {owner_id.value()}));
  if (!owner) {
    return InvalidField(
        "owner_id", "unknown_owner",
        {"客户经理不存在或已停用", "The account manager does not exist or is disabled"});
  }
  // A customer handed to someone whose customers the caller may not see would vanish from the
  // caller's view the moment it is saved.
  if (!principal.CanAccess("customer", owner_id, auth::DepartmentId(owner->Int(0)),
                           owner->Text(1))) {
    return InvalidField(
        "owner_id", "out_of_scope",
        {"该客户经理不在您的数据范围内", "That account manager is outside your data scope"});
  }
  return auth::DepartmentId(owner->Int(0));
}

Result<CustomerId> CustomerService::Insert(Tx& tx, Prepared& prepared) {
  if (!prepared.owner_is_caller) {
    ASSIGN_OR_RETURN(auth::DepartmentId department,
                     OwnerDepartment(tx, *prepared.principal, prepared.owner_id));
    prepared.params[prepared.department_param] = department.value();
  }
  // The unique indexes decide; the lookup runs only to name the customer who already holds the
  // number (a concurrent clerk's included).
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   tx.InsertUnlessTaken(prepared.insert_sql, prepared.params));
  if (!id) {
    RETURN_IF_ERROR(CheckNoDuplicate(tx, *prepared.principal, prepared.values, std::nullopt));
    return Internal("customer refused by a unique index that names no duplicate");
  }
  prepared.audit.entity_id = std::to_string(*id);
  prepared.event.stream_id = std::to_string(*id);
  prepared.event.payload["department_id"] =
      std::get<int64_t>(prepared.params[prepared.department_param]);
  return CustomerId(*id);
}

Result<json::object> CustomerService::Create(const auth::Principal& principal,
                                             const audit::Actor& actor, const json::object& input) {
  return storage::UnitOfWork::RunValue<json::object>(
      db_, [&](storage::UnitOfWork& unit) { return Create(unit, principal, actor, input); });
}

Result<json::object> CustomerService::Create(storage::UnitOfWork& unit,
                                             const auth::Principal& principal,
                                             const audit::Actor& actor, const json::object& input) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerWrite));
  ASSIGN_OR_RETURN(auto entity, registry_.Get(unit.tx(), kCustomerEntity));
  ASSIGN_OR_RETURN(Prepared prepared, Prepare(principal, actor, *entity, input));
  Tx& tx = unit.tx();
  if (CarriesIdentity(prepared.values)) RETURN_IF_ERROR(CheckDuplicateBudget(tx, principal));
  auto id = Insert(tx, prepared);
  if (!id && id.error().code == ErrorCode::kAlreadyExists) {
    return RecordDuplicateFinding(unit, principal, actor, std::move(id).error());
  }
  if (!id) return id.error();
  audit::Entry* const entry[] = {&prepared.audit};
  RETURN_IF_ERROR(audit_.AppendPrepared(tx, entry));
  RETURN_IF_ERROR(events_.Append(tx, actor, prepared.event));
  return Load(tx, principal, *entity, *id, forms::OutputMode::kMasked);
}

Result<std::vector<BatchItemResult>> CustomerService::CreateBatch(
    const auth::Principal& principal, const audit::Actor& actor,
    const std::vector<json::object>& inputs) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerWrite));
  if (inputs.size() > kMaxBatch) {
    const std::string most = std::to_string(kMaxBatch);
    return InvalidField("items", "too_many",
                        {"每批最多 " + most + " 条", "At most " + most + " records per batch"});
  }
  ASSIGN_OR_RETURN(auto entity, registry_.Get(kCustomerEntity));
  std::vector<BatchItemResult> results(inputs.size());
  std::vector<std::optional<Prepared>> prepared(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto p = Prepare(principal, actor, *entity, inputs[i]);
    if (p) {
      prepared[i] = std::move(*p);
    } else {
      results[i].error = std::move(p).error();
    }
  }
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    // The job may run again after a retried serialization failure: start from the prepared state.
    std::vector<audit::Entry*> trail;
    trail.reserve(inputs.size());
    std::vector<runtime::NewEvent> events;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!prepared[i]) continue;
      results[i] = {};
      auto id = Insert(tx, *prepared[i]);
      if (id) {
        results[i].id = *id;
        trail.push_back(&prepared[i]->audit);
        events.push_back(prepared[i]->event);
      } else if (id.error().code == ErrorCode::kAlreadyExists ||
                 id.error().code == ErrorCode::kInvalidArgument) {
        results[i].error = std::move(id).error();
      } else {
        return id.error();
      }
    }
    RETURN_IF_ERROR(audit_.AppendPrepared(tx, trail));
    return events_.AppendAll(tx, actor, events);
  }));
  return results;
}

Result<json::object> CustomerService::Load(Tx& tx, const auth::Principal& principal,
                                           const forms::EntityDef& entity, CustomerId id,
                                           forms::OutputMode mode) {
  auth::ScopePredicate scope = principal.ScopeSql("customer", "c.owner_id", "c.department_id");
  storage::Params params{id.value()};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kOwnerColumns) +
                                             forms::SelectColumns(entity, "c") +
                                             " FROM customers c" + std::string(kOwnerJoin) +
                                             " WHERE c.id = ? AND c.deleted_at_us IS NULL AND (" +
                                             scope.sql + ")",
                                         params));
  if (!row) return NotFound(NotFoundMessage());
  ASSIGN_OR_RETURN(json::object out, forms::EncodeOutput(entity, *row, cipher_, mode));
  return WithRecordFacts(std::move(out), *row);
}

Result<json::object> CustomerService::Get(const auth::Principal& principal, CustomerId id) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  ASSIGN_OR_RETURN(auto entity, registry_.Get(kCustomerEntity));
  return db_.ReadValue<json::object>(
      [&](Tx& tx) { return Load(tx, principal, *entity, id, forms::OutputMode::kMasked); });
}

Result<json::object> CustomerService::Update(const auth::Principal& principal,
                                             const audit::Actor& actor, CustomerId id,
                                             const json::object& patch, int64_t expected_version) {
  return storage::UnitOfWork::RunValue<json::object>(db_, [&](storage::UnitOfWork& unit) {
    return Update(unit, principal, actor, id, patch, expected_version);
  });
}

Result<json::object> CustomerService::Update(storage::UnitOfWork& unit,
                                             const auth::Principal& principal,
                                             const audit::Actor& actor, CustomerId id,
                                             const json::object& raw_patch,
                                             int64_t expected_version) {
  // Rating a customer (risk level, status) is the risk officer's judgement, not an edit of the
  // record: customer.classify allows a patch of those fields alone.
  const bool classifies_only =
      !raw_patch.empty() && std::all_of(raw_patch.begin(), raw_patch.end(), [](const auto& kv) {
        return std::find(std::begin(kClassificationFields), std::end(kClassificationFields),
                         kv.key()) != std::end(kClassificationFields);
      });
  if (!classifies_only || !principal.Has(auth::Permission::kCustomerClassify)) {
    RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerWrite));
  }
  ASSIGN_OR_RETURN(auto entity, registry_.Get(unit.tx(), kCustomerEntity));
  std::vector<FieldViolation> violations;
  for (const char* immutable : {"type", "owner_id", "department_id"}) {
    if (raw_patch.contains(immutable)) {
      violations.push_back({immutable, "immutable",
                            {"此字段不能直接修改", "This field cannot be changed here"}});
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  auto names_identity = [&](const char* field) {
    const json::value* v = raw_patch.if_contains(field);
    return v && !v->is_null();
  };
  Tx& tx = unit.tx();
  if (names_identity("id_number") || names_identity("credit_code")) {
    RETURN_IF_ERROR(CheckDuplicateBudget(tx, principal));
  }

  auto updated = [&]() -> Result<json::object> {
    auth::ScopePredicate scope = principal.ScopeSql("customer", "c.owner_id", "c.department_id");
    storage::Params params{id.value()};
    params.insert(params.end(), scope.params.begin(), scope.params.end());
    ASSIGN_OR_RETURN(auto before, tx.QueryOne("SELECT c.id, c.version, c.type, c.id_type, " +
                                                  forms::SelectColumns(*entity, "c") +
                                                  " FROM customers c WHERE c.id = ? AND "
                                                  "c.deleted_at_us IS NULL AND (" +
                                                  scope.sql + ")",
                                              params));
    if (!before) return NotFound(NotFoundMessage());
    if (before->Int("version") != expected_version) {
      return MakeError(ErrorCode::kAborted, {"客户资料已被他人修改，请刷新后重试",
                                             "The customer was changed by someone else; reload "
                                             "and try again"});
    }
    const std::optional<CustomerType> type = CustomerTypeFromName(before->Text("type"));
    json::object patch = raw_patch;
    std::vector<FieldViolation> violations;
    if (type == CustomerType::kIndividual && patch.contains("id_number")) {
      std::string id_type = StringMember(patch, "id_type")
                                .value_or(before->OptText("id_type").value_or("resident_id"));
      StandardiseIdentity(patch, id_type, violations);
    }
    CheckApplicable(*entity, patch, type, violations);
    CheckRequiredKept(patch, type, violations);
    if (type == CustomerType::kIndividual) StandardiseIndividualPhone(patch, violations);
    if (type == CustomerType::kEnterprise &&
        (patch.contains("credit_code") || patch.contains(kPendingReason))) {
      CheckCreditCodeOrReason(patch, before->OptText("credit_code").has_value(),
                              before->OptText(kPendingReason).has_value(), violations);
    }
    auto values = forms::DecodeInput(*entity, patch, {.mode = forms::DecodeMode::kPatch}, cipher_);
    if (!values) {
      if (values.error().code != ErrorCode::kInvalidArgument) return values.error();
      Append(violations, values.error());
    }
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    if (values->empty()) return Load(tx, principal, *entity, id, forms::OutputMode::kMasked);

    RETURN_IF_ERROR(CheckNoDuplicate(tx, principal, *values, id));
    ASSIGN_OR_RETURN(forms::RecordChanges changes,
                     forms::ChangesOf(*entity, &*before, *values, cipher_));
    int64_t now = ToUnixMicros(clock_.Now());
    storage::Value by =
        actor.user_id ? storage::Value(*actor.user_id) : storage::Value(storage::Null{});
    storage::Params update = values->Params();
    std::string set_list = values->SetList();
    if (values->Find("phone") || values->Find("contact_phone")) {
      ASSIGN_OR_RETURN(auto phone, PhoneAfter(*entity, cipher_, *before, *values, "phone"));
      ASSIGN_OR_RETURN(auto contact_phone,
                       PhoneAfter(*entity, cipher_, *before, *values, "contact_phone"));
      set_list += ", phone_tail = ?";
      update.push_back(PhoneTailOf(type, phone, contact_phone));
    }
    update.insert(update.end(), {now, by, id.value(), expected_version});
    ASSIGN_OR_RETURN(int64_t changed,
                     tx.Execute("UPDATE customers SET " + set_list +
                                    ", version = version + 1, updated_at_us = ?, updated_by = ? "
                                    "WHERE id = ? AND version = ?",
                                    update));
    if (changed != 1) return Internal("customer row changed inside its own transaction");
    if (!changes.empty()) {
      RETURN_IF_ERROR(audit_.Append(tx, actor,
                                    {.action = audit::Action::kCustomerUpdate,
                                     .entity_type = "customer",
                                     .entity_id = std::to_string(id.value()),
                                     .changes = std::move(changes.audit)}));
      RETURN_IF_ERROR(events_.Append(
          tx, actor,
          {.stream_type = "customer",
           .stream_id = std::to_string(id.value()),
           .type = "customer.updated",
           .payload = {{"version", expected_version + 1}, {"changes", std::move(changes.event)}}}));
    }
    return Load(tx, principal, *entity, id, forms::OutputMode::kMasked);
  }();
  if (!updated && updated.error().code == ErrorCode::kAlreadyExists) {
    return RecordDuplicateFinding(unit, principal, actor, std::move(updated).error());
  }
  return updated;
}

Status CustomerService::Delete(const auth::Principal& principal, const audit::Actor& actor,
                               CustomerId id, std::string_view reason) {
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return Delete(unit, principal, actor, id, reason); });
}

Status CustomerService::Delete(storage::UnitOfWork& unit, const auth::Principal& principal,
                               const audit::Actor& actor, CustomerId id,
                               std::string_view raw_reason) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerDelete));
  ASSIGN_OR_RETURN(const std::string reason,
                   CheckReason(raw_reason, "reason", {"删除原因", "reason for deleting"}));
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(CheckVisible(tx, principal, id));
  int64_t now = ToUnixMicros(clock_.Now());
  storage::Value by =
      actor.user_id ? storage::Value(*actor.user_id) : storage::Value(storage::Null{});
  RETURN_IF_ERROR(
      tx.Execute("UPDATE customers SET deleted_at_us = ?, deleted_by = ?, version = "
                 "version + 1 WHERE id = ?",
                 {now, by, id.value()}));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kCustomerDelete,
                                 .entity_type = "customer",
                                 .entity_id = std::to_string(id.value()),
                                 .detail = reason}));
  RETURN_IF_ERROR(events_.Append(tx, actor,
                                 {.stream_type = "customer",
                                  .stream_id = std::to_string(id.value()),
                                  .type = "customer.deleted",
                                  .payload = {{"reason", reason}}}));
  return Ok();
}

Status CustomerService::RecordLookup(const auth::Principal& principal, const audit::Actor& actor,
                                     std::string_view field) {
  return db_.Write([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto retry,
                     limiter_.RetryAfter(tx, safeguards_.pii_lookups, RateSubject(principal)));
    if (retry) {
      Error error = MakeError(
          ErrorCode::kResourceExhausted,
          {"按个人信息查询客户的次数过多，请 " + Minutes(*retry) + " 分钟后再试",
           "Too many lookups by personal data; try again in " + Minutes(*retry) + " minutes"});
      error.retry_after = *retry;
      return error;
    }
    RETURN_IF_ERROR(limiter_.Record(tx, safeguards_.pii_lookups, RateSubject(principal)));
    return audit_.Append(tx, actor,
                         {.action = audit::Action::kPiiLookup,
                          .entity_type = "customer",
                          .detail = "by " + std::string(field)});
  });
}

Result<CustomerPage> CustomerService::List(const auth::Principal& principal,
                                           const audit::Actor& actor,
                                           const forms::QueryParams& params) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  ASSIGN_OR_RETURN(auto entity, registry_.Get(kCustomerEntity));
  const auto q = params.find("q");
  const bool name_search = q != params.end() && !q->second.empty();
  forms::QueryParams effective = params;
  if (name_search && !params.contains("sort")) {
    // A name search lists in name order, like a directory: the name index then yields the rows
    // already sorted and the first page stops after a page of them, however many customers share
    // a surname. In id order every match would have to be read and sorted first.
    effective.emplace("sort", "name");
  }
  ASSIGN_OR_RETURN(
      forms::ListQuery query,
      forms::ParseListQuery(*entity, effective, cipher_, db_.dialect(),
                            {.caller_params = {"q", "id_number", "phone_tail"},
                             .qualifier = "c",
                             .may_unmask = principal.Has(auth::Permission::kPiiUnmask)}));
  std::vector<std::string> lookups;
  for (const forms::FieldDef* field : query.sensitive_lookups()) lookups.push_back(field->name);
  if (params.count("id_number") > 1) {
    return InvalidField("id_number", "one_value",
                        {"证件号码每次只能查询一个值", "ID number takes one value"});
  }
  if (params.contains("id_number")) lookups.push_back("id_number");
  if (lookups.size() > 1) {
    return InvalidField(
        "id_number", "one_sensitive_lookup",
        {"每次只能按一项个人敏感信息查询", "Look up one item of personal data at a time"});
  }
  if (!lookups.empty()) RETURN_IF_ERROR(RecordLookup(principal, actor, lookups.front()));
  // A tail search is no lookup of personal data: the last four digits are what every list
  // already shows of each phone in the caller's scope (display_phone, 138****8000), so it tests
  // no guess about a masked digit. It is neither counted against the lookup rate nor audited.
  std::optional<std::string> phone_tail;
  if (params.count("phone_tail") > 1) {
    return InvalidField("phone_tail", "one_value",
                        {"手机尾号每次只能查询一个值", "phone_tail takes one value"});
  }
  if (auto it = params.find("phone_tail"); it != params.end()) {
    phone_tail = FoldFullWidth(it->second);
    if (phone_tail->size() != 4 ||
        !std::all_of(phone_tail->begin(), phone_tail->end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return InvalidField("phone_tail", "invalid_phone_tail",
                          {"手机尾号须为 4 位数字", "phone_tail must be exactly 4 digits"});
    }
  }
  auth::ScopePredicate scope = principal.ScopeSql("customer", "c.owner_id", "c.department_id");
  std::string scope_sql = "(" + scope.sql + ")";
  if (name_search && db_.dialect() == storage::Dialect::kSqlite) {
    // Without ANALYZE statistics SQLite rates an owner or department equality as more selective
    // than a name prefix, and would read and sort every customer in scope. The name index
    // carries the owner and department, so walking it in name order checks scope without
    // reading a row; the likelihood says the scope is not what narrows a name search.
    scope_sql = "likelihood(" + scope_sql + ", 0.9)";
  }
  forms::SqlFragment where{"c.deleted_at_us IS NULL AND " + scope_sql, scope.params};
  if (name_search) {
    // A prefix range rather than LIKE: it uses the name index and treats % and _ literally.
    where.sql += " AND c.name >= ? AND c.name < ?";
    where.params.emplace_back(q->second);
    where.params.emplace_back(q->second + "\xF4\x8F\xBF\xBF");
  }
  if (auto it = params.find("id_number"); it != params.end()) {
    // The same standardisation as at intake, so a lower-case x or a 15-digit number still finds
    // the customer.
    const forms::FieldDef* field = entity->Find("id_number");
    std::string value;
    if (auto resident = ResidentIdNumber::Parse(it->second, "id_number")) {
      value = resident->value();
    } else {
      ASSIGN_OR_RETURN(value, forms::StandardiseText(*field, it->second));
    }
    where.sql += " AND c.id_number_bidx = ?";
    where.params.emplace_back(
        storage::Blob{cipher_.BlindIndex(value, forms::CipherContext(*entity, *field))});
  }
  if (phone_tail) {
    // One customer in ten thousand shares a tail; SQLite without statistics would rate it like
    // the owner's index, which also yields the list's order, and read all of an account
    // manager's customers instead.
    where.sql += db_.dialect() == storage::Dialect::kSqlite
                     ? " AND likelihood(c.phone_tail = ?, 0.0001)"
                     : " AND c.phone_tail = ?";
    where.params.emplace_back(*phone_tail);
  }
  forms::SqlFragment statement =
      query.Statement(std::string(kOwnerColumns) + forms::SelectColumns(*entity, "c"),
                      "customers c" + std::string(kOwnerJoin), where);
  forms::SqlFragment count = query.CountStatement("customers c", where);
  return db_.ReadValue<CustomerPage>([&](Tx& tx) -> Result<CustomerPage> {
    ASSIGN_OR_RETURN(auto rows, tx.Query(statement.sql, statement.params));
    CustomerPage page;
    page.next_cursor = query.TakePage(rows);
    for (const auto& row : rows) {
      ASSIGN_OR_RETURN(json::object item, forms::EncodeOutput(*entity, row, cipher_));
      item["display_phone"] = DisplayPhone(item);
      page.items.push_back(WithRecordFacts(std::move(item), row));
    }
    ASSIGN_OR_RETURN(auto total, tx.QueryOne(count.sql, count.params));
    page.total = total->Int(0);
    return page;
  });
}

Result<json::object> CustomerService::Unmask(const auth::Principal& principal,
                                             const audit::Actor& actor, CustomerId id,
                                             const std::vector<std::string>& fields) {
  return storage::UnitOfWork::RunValue<json::object>(
      db_, [&](storage::UnitOfWork& unit) { return Unmask(unit, principal, actor, id, fields); });
}

Result<json::object> CustomerService::Unmask(storage::UnitOfWork& unit,
                                             const auth::Principal& principal,
                                             const audit::Actor& actor, CustomerId id,
                                             const std::vector<std::string>& fields) {
  ASSIGN_OR_RETURN(auto entity, registry_.Get(unit.tx(), kCustomerEntity));
  std::string names;
  for (const auto& f : fields) names += (names.empty() ? "" : ",") + f;
  if (auto allowed = principal.Require(auth::Permission::kPiiUnmask); !allowed) {
    unit.Regardless([this, actor, id, names](Tx& tx) {
      return audit_.Append(tx, actor,
                           {.action = audit::Action::kPiiUnmaskDenied,
                            .entity_type = "customer",
                            .entity_id = std::to_string(id.value()),
                            .detail = "fields: " + names});
    });
    return allowed.error();
  }
  std::vector<FieldViolation> violations;
  if (fields.empty()) {
    violations.push_back({"fields", "required", {"请指定字段", "Name at least one field"}});
  }
  for (const auto& name : fields) {
    const forms::FieldDef* field = entity->Find(name);
    if (!field || !forms::IsMaskedForViewers(*field)) {
      violations.push_back({"fields", "not_sensitive",
                            {"不是可脱敏字段：" + name, "Not a masked field: " + name}});
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(json::object full, Load(tx, principal, *entity, id, forms::OutputMode::kPlain));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kPiiUnmask,
                                 .entity_type = "customer",
                                 .entity_id = std::to_string(id.value()),
                                 .detail = "fields: " + names}));
  json::object out;
  for (const auto& name : fields) out[name] = full.at(name);
  return out;
}

Status CustomerService::Reassign(const auth::Principal& principal, const audit::Actor& actor,
                                 const std::vector<CustomerId>& ids, auth::UserId new_owner) {
  return storage::UnitOfWork::Run(db_, [&](storage::UnitOfWork& unit) {
    return Reassign(unit, principal, actor, ids, new_owner);
  });
}

Status CustomerService::Reassign(storage::UnitOfWork& unit, const auth::Principal& principal,
                                 const audit::Actor& actor, const std::vector<CustomerId>& ids,
                                 auth::UserId new_owner) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerReassign));
  if (ids.empty() || ids.size() > kMaxReassign) {
    const std::string most = std::to_string(kMaxReassign);
    return InvalidField("ids", "invalid_count",
                        {"一次可调整 1 到 " + most + " 个客户",
                         "Reassign between 1 and " + most + " customers at a time"});
  }
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(auth::DepartmentId department, OwnerDepartment(tx, principal, new_owner));
  int64_t now = ToUnixMicros(clock_.Now());
  for (CustomerId id : std::set<CustomerId>(ids.begin(), ids.end())) {
    RETURN_IF_ERROR(CheckVisible(tx, principal, id));
    ASSIGN_OR_RETURN(auto before, tx.QueryOne("SELECT owner_id, department_id FROM customers "
                                              "WHERE id = ?",
                                              {id.value()}));
    if (before->Int(0) == new_owner.value()) continue;
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE customers SET owner_id = ?, department_id = ?, version = "
        "version + 1, updated_at_us = ?, updated_by = ? WHERE id = ?",
        {new_owner.value(), department.value(), now,
         actor.user_id ? storage::Value(*actor.user_id) : storage::Value(storage::Null{}),
         id.value()}));
    RETURN_IF_ERROR(audit_.Append(tx, actor,
                                  {.action = audit::Action::kCustomerReassign,
                                   .entity_type = "customer",
                                   .entity_id = std::to_string(id.value()),
                                   .changes = {{"owner_id", std::to_string(before->Int(0)),
                                                std::to_string(new_owner.value())},
                                               {"department_id", std::to_string(before->Int(1)),
                                                std::to_string(department.value())}}}));
    RETURN_IF_ERROR(events_.Append(
        tx, actor,
        {.stream_type = "customer",
         .stream_id = std::to_string(id.value()),
         .type = "customer.reassigned",
         .payload = {{"changes", json::array{runtime::RecordChange("owner_id", before->Int(0),
                                                                   new_owner.value()),
                                             runtime::RecordChange("department_id", before->Int(1),
                                                                   department.value())}}}}));
  }
  return Ok();
}

Status CustomerService::CheckAssignable(Tx& tx, const auth::Principal& principal,
                                        auth::UserId user) {
  auth::ScopePredicate scope = principal.ScopeSql("customer", "u.id", "u.department_id");
  storage::Params params{user.value()};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  ASSIGN_OR_RETURN(auto found, tx.QueryOne("SELECT u.id FROM users u WHERE u.id = ? AND u.status "
                                           "= 'active' AND (" +
                                               scope.sql + ")",
                                           params));
  if (!found) {
    return MakeError(ErrorCode::kNotFound,
                     {"找不到该用户，或不在您的数据范围内", "No such user within your data scope"});
  }
  return Ok();
}

Result<std::vector<json::object>> CustomerService::AssignableOwners(
    const auth::Principal& principal, std::string_view query, int limit,
    std::string_view language) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  if (limit < 1 || limit > 100) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 100 之间", "limit must be between 1 and 100"});
  }
  // A user's department decides whether the caller may see the customers they would own, so
  // the caller's customer scope applied to the user's row is exactly "may assign to".
  auth::ScopePredicate scope = principal.ScopeSql("customer", "u.id", "u.department_id");
  std::string sql =
      "SELECT u.id, u.username, u.display_name, u.department_id, d.name AS department_name, "
      "d.path FROM users u JOIN departments d ON d.id = u.department_id WHERE u.status = "
      "'active' AND EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id "
      "= ur.role_id WHERE ur.user_id = u.id AND rp.permission = ?) AND (" +
      scope.sql + ")";
  storage::Params params{std::string(auth::PermissionName(auth::Permission::kCustomerWrite))};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  const std::string prefix = NormalizeName(query);
  if (!prefix.empty()) {
    sql += " AND (u.display_name LIKE ? ESCAPE '!' OR u.username LIKE ? ESCAPE '!')";
    std::string pattern;
    for (char c : prefix) {
      if (c == '%' || c == '_' || c == '!') pattern += '!';
      pattern += c;
    }
    pattern += '%';
    params.insert(params.end(), {pattern, pattern});
  }
  sql += " ORDER BY u.display_name, u.id LIMIT ?";
  params.emplace_back(int64_t{limit});
  const bool english = language.starts_with("en");
  return db_.ReadValue<std::vector<json::object>>([&](Tx& tx) -> Result<std::vector<json::object>> {
    ASSIGN_OR_RETURN(auto users, tx.Query(sql, params));
    ASSIGN_OR_RETURN(auto departments, tx.Query("SELECT id, name FROM departments"));
    std::map<int64_t, std::string> department_names;
    for (const storage::Row& d : departments) department_names[d.Int(0)] = d.Text(1);
    std::vector<json::object> out;
    for (const storage::Row& u : users) {
      std::string path_names;
      const std::string path = u.Text("path");
      for (size_t at = 1; at < path.size();) {
        size_t end = path.find('/', at);
        if (end == std::string::npos) break;
        auto name = department_names.find(std::stoll(path.substr(at, end - at)));
        if (name != department_names.end()) {
          if (!path_names.empty()) path_names += " / ";
          path_names += name->second;
        }
        at = end + 1;
      }
      ASSIGN_OR_RETURN(auto roles, tx.Query("SELECT r.role_key, r.name_zh, r.name_en FROM "
                                            "user_roles ur JOIN roles r ON r.id = ur.role_id "
                                            "WHERE ur.user_id = ? ORDER BY r.id",
                                            {u.Int("id")}));
      json::array role_list;
      for (const storage::Row& r : roles) {
        role_list.push_back(
            json::object{{"key", r.Text(0)}, {"name", english ? r.Text(2) : r.Text(1)}});
      }
      out.push_back(json::object{{"id", u.Int("id")},
                                 {"username", u.Text("username")},
                                 {"display_name", u.Text("display_name")},
                                 {"department", json::object{{"id", u.Int("department_id")},
                                                             {"name", u.Text("department_name")},
                                                             {"path_names", path_names}}},
                                 {"roles", std::move(role_list)}});
    }
    return out;
  });
}

Status CustomerService::CheckVisible(Tx& tx, const auth::Principal& principal, CustomerId id) {
  auth::ScopePredicate scope = principal.ScopeSql("customer", "c.owner_id", "c.department_id");
  storage::Params params{id.value()};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM customers c WHERE c.id = ? AND "
                                         "c.deleted_at_us IS NULL AND (" +
                                             scope.sql + ")",
                                         params));
  if (!row) {
    Error error = NotFound(NotFoundMessage());
    error.extensions["customer_id"] = id.value();
    return error;
  }
  return Ok();
}

Result<std::map<CustomerId, std::string>> CustomerService::NamesOf(
    const auth::Principal& principal, const std::vector<CustomerId>& ids) {
  return db_.ReadValue<std::map<CustomerId, std::string>>(
      [&](Tx& tx) { return NamesOf(tx, principal, ids); });
}

Result<std::map<CustomerId, std::string>> CustomerService::NamesOf(
    Tx& tx, const auth::Principal& principal, const std::vector<CustomerId>& ids) {
  std::map<CustomerId, std::string> names;
  if (ids.empty()) return names;
  auth::ScopePredicate scope = principal.ScopeSql("customer", "c.owner_id", "c.department_id");
  std::string sql = "SELECT c.id, c.name FROM customers c WHERE (" + scope.sql + ") AND c.id IN (";
  storage::Params params = scope.params;
  for (size_t i = 0; i < ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(ids[i].value());
  }
  sql += ")";
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  for (const storage::Row& row : rows) names[CustomerId(row.Int(0))] = row.Text(1);
  return names;
}

Result<PhoneTailFill> CustomerService::FillPendingPhoneTails() {
  ASSIGN_OR_RETURN(auto entity, registry_.Get(kCustomerEntity));
  const forms::FieldDef* phone = entity->Find("phone");
  const forms::FieldDef* contact_phone = entity->Find("contact_phone");
  if (!phone || !contact_phone) return Internal("customer entity without its phone fields");
  auto decrypt = [&](const storage::Row& row,
                     const forms::FieldDef& field) -> Result<std::optional<std::string>> {
    auto stored = row.OptBytes(forms::CipherColumn(field));
    if (!stored) return std::optional<std::string>();
    ASSIGN_OR_RETURN(std::string plain,
                     cipher_.Decrypt(*stored, forms::CipherContext(*entity, field)));
    return std::optional<std::string>(std::move(plain));
  };
  PhoneTailFill done;
  int64_t after = 0;
  for (bool more = true; more;) {
    // Counted per batch and added once it commits: a write may run again after a retry.
    PhoneTailFill batch;
    int64_t batch_after = after;
    RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      batch = {};
      batch_after = after;
      ASSIGN_OR_RETURN(auto rows,
                       tx.Query("SELECT id, type, " + forms::CipherColumn(*phone) + ", " +
                                    forms::CipherColumn(*contact_phone) +
                                    " FROM customers WHERE phone_tail = ? AND id > ? ORDER BY id "
                                    "LIMIT ?",
                                    {std::string(kPendingTail), after, kTailFillBatch}));
      more = static_cast<int64_t>(rows.size()) == kTailFillBatch;
      for (const auto& row : rows) {
        batch_after = row.Int("id");
        auto phone_plain = decrypt(row, *phone);
        auto contact_plain = decrypt(row, *contact_phone);
        if (!phone_plain || !contact_plain) {
          ++batch.unreadable;
          continue;
        }
        RETURN_IF_ERROR(tx.Execute(
            "UPDATE customers SET phone_tail = ? WHERE id = ? AND phone_tail = ?",
            {PhoneTailOf(CustomerTypeFromName(row.Text("type")), *phone_plain, *contact_plain),
             batch_after, std::string(kPendingTail)}));
        ++batch.filled;
      }
      return Ok();
    }));
    after = batch_after;
    done.filled += batch.filled;
    done.unreadable += batch.unreadable;
  }
  return done;
}

Result<std::optional<std::string>> CustomerService::NameOf(Tx& tx, CustomerId id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT name FROM customers WHERE id = ? AND "
                                         "deleted_at_us IS NULL",
                                         {id.value()}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

}  // namespace oc::customers
