#include "customers/customer_entity.h"

#include <string>

namespace oc::customers {

namespace {

using forms::FieldDef;
using forms::FieldFormat;
using forms::FieldOption;
using forms::FieldType;

struct FieldSpec {
  const char* name;
  const char* zh;
  const char* en;
  FieldType type;
  const char* section;
  FieldFormat format = FieldFormat::kNone;
  bool required = false;
  bool sensitive = false;
  bool filterable = false;
  bool sortable = false;
  std::vector<FieldOption> options = {};
  // Every text field states its own: a name, an address and a remark each have a length a
  // lender's paperwork (and the regulator's reporting forms) holds to, which the generic default
  // does not know. The server counts the standardised value; forms may count the text as typed,
  // so formatted fields (phones, cards, codes) leave room for the spaces and dashes people type.
  std::optional<size_t> max_length = std::nullopt;
  bool read_only = false;
  const char* column = nullptr;  // defaults to the name
  // The birth date: with the masked ID number it would rebuild the number (see FieldDef).
  bool masked_to_year = false;
};

FieldDef Build(const FieldSpec& s, int position) {
  FieldDef f;
  f.name = s.name;
  f.label = {s.zh, s.en};
  f.type = s.type;
  f.format = s.format;
  f.required = s.required;
  f.builtin = true;
  f.read_only = s.read_only;
  f.sensitive = s.sensitive;
  f.masked_to_year = s.masked_to_year;
  f.filterable = s.filterable;
  f.sortable = s.sortable;
  f.options = s.options;
  f.section = s.section;
  f.position = position;
  f.max_length = s.max_length;
  f.column = s.column ? s.column : s.name;
  return f;
}

// GB/T 4754-2017 门类: the industry sections lenders report by.
std::vector<FieldOption> Industries() {
  return {{"A", {"农、林、牧、渔业", "Agriculture, forestry, husbandry, fishery"}},
          {"B", {"采矿业", "Mining"}},
          {"C", {"制造业", "Manufacturing"}},
          {"D", {"电力、热力、燃气及水生产和供应业", "Utilities"}},
          {"E", {"建筑业", "Construction"}},
          {"F", {"批发和零售业", "Wholesale and retail"}},
          {"G", {"交通运输、仓储和邮政业", "Transport, storage and post"}},
          {"H", {"住宿和餐饮业", "Accommodation and catering"}},
          {"I", {"信息传输、软件和信息技术服务业", "Information technology"}},
          {"J", {"金融业", "Finance"}},
          {"K", {"房地产业", "Real estate"}},
          {"L", {"租赁和商务服务业", "Leasing and business services"}},
          {"M", {"科学研究和技术服务业", "Research and technical services"}},
          {"N", {"水利、环境和公共设施管理业", "Water, environment and public facilities"}},
          {"O", {"居民服务、修理和其他服务业", "Household and other services"}},
          {"P", {"教育", "Education"}},
          {"Q", {"卫生和社会工作", "Health and social work"}},
          {"R", {"文化、体育和娱乐业", "Culture, sports and entertainment"}},
          {"S", {"公共管理、社会保障和社会组织", "Public administration"}},
          {"T", {"国际组织", "International organisations"}}};
}

}  // namespace

forms::EntityDef CustomerEntity() {
  // A table in the compact layout of its neighbours; clang-format would give every argument a line.
  // clang-format off
  const std::vector<FieldSpec> specs = {
      // Basic facts of every customer.
      {"type", "客户类型", "Customer type", FieldType::kSingleSelect, "basic", FieldFormat::kNone,
       true, false, true, true,
       {{std::string(kIndividualSection), {"个人", "Individual"}},
        {std::string(kEnterpriseSection), {"企业", "Enterprise"}}}},
      {"name", "客户名称", "Name", FieldType::kText, "basic", FieldFormat::kPersonName, true,
       false, true, true, {}, 100},
      {"industry", "行业", "Industry", FieldType::kSingleSelect, "basic", FieldFormat::kNone,
       false, false, true, true, Industries()},
      // Individuals.
      {"id_type", "证件类型", "ID document type", FieldType::kSingleSelect, "individual",
       FieldFormat::kNone, false, false, true, false,
       {{"resident_id", {"居民身份证", "Resident ID card"}},
        {"passport", {"护照", "Passport"}},
        {"hk_macau_permit", {"港澳居民来往内地通行证", "Mainland travel permit (HK/Macau)"}},
        {"taiwan_permit", {"台湾居民来往大陆通行证", "Mainland travel permit (Taiwan)"}}}},
      {"id_number", "证件号码", "ID number", FieldType::kText, "individual",
       FieldFormat::kIdDocument,
       false, true, true, false, {}, 32},
      {"gender", "性别", "Gender", FieldType::kSingleSelect, "individual", FieldFormat::kNone,
       false, false, true, false,
       {{"male", {"男", "Male"}}, {"female", {"女", "Female"}}}},
      {"birth_date", "出生日期", "Birth date", FieldType::kDate, "individual", FieldFormat::kNone,
       false, false, true, true, {}, std::nullopt, false, nullptr, /*masked_to_year=*/true},
      {"marital_status", "婚姻状况", "Marital status", FieldType::kSingleSelect, "individual",
       FieldFormat::kNone, false, false, true, false,
       {{"single", {"未婚", "Single"}},
        {"married", {"已婚", "Married"}},
        {"divorced", {"离异", "Divorced"}},
        {"widowed", {"丧偶", "Widowed"}}}},
      {"education", "学历", "Education", FieldType::kSingleSelect, "individual",
       FieldFormat::kNone, false, false, true, false,
       {{"primary", {"小学及以下", "Primary school or less"}},
        {"junior_high", {"初中", "Junior high school"}},
        {"senior_high", {"高中/中专", "Senior high / vocational"}},
        {"college", {"大专", "College"}},
        {"bachelor", {"本科", "Bachelor"}},
        {"master", {"硕士", "Master"}},
        {"doctorate", {"博士", "Doctorate"}}}},
      {"occupation", "职业", "Occupation", FieldType::kText, "individual", FieldFormat::kNone,
       false, false, true, false, {}, 100},
      {"employer", "工作单位", "Employer", FieldType::kText, "individual", FieldFormat::kNone,
       false, false, true, false, {}, 200},
      {"monthly_income", "月收入", "Monthly income", FieldType::kMoney, "individual",
       FieldFormat::kNone, false, false, true, true},
      {"bank_card", "银行卡号", "Bank card number", FieldType::kText, "individual",
       FieldFormat::kBankCard, false, true, true, false, {}, 32},
      // Enterprises.
      {"credit_code", "统一社会信用代码", "Unified social credit code", FieldType::kText,
       "enterprise", FieldFormat::kCreditCode, false, false, true, false, {}, 32},
      // Instead of the code while it is not known (a company still being registered, a branch
      // without a licence of its own): the service requires one or the other.
      {"credit_code_pending_reason", "信用代码暂缺原因", "Why the credit code is pending",
       FieldType::kText, "enterprise", FieldFormat::kNone, false, false, false, false, {}, 200},
      {"legal_representative", "法定代表人", "Legal representative", FieldType::kText,
       "enterprise", FieldFormat::kPersonName, false, false, true, false, {}, 100},
      {"registered_capital", "注册资本", "Registered capital", FieldType::kMoney, "enterprise",
       FieldFormat::kNone, false, false, true, true},
      {"established_date", "成立日期", "Established on", FieldType::kDate, "enterprise",
       FieldFormat::kNone, false, false, true, true},
      {"annual_revenue", "年营业收入", "Annual revenue", FieldType::kMoney, "enterprise",
       FieldFormat::kNone, false, false, true, true},
      {"registered_address", "注册地址", "Registered address", FieldType::kText, "enterprise",
       FieldFormat::kNone, false, false, false, false, {}, 200},
      {"operating_address", "经营地址", "Operating address", FieldType::kText, "enterprise",
       FieldFormat::kNone, false, false, false, false, {}, 200},
      {"contact_person", "联系人", "Contact person", FieldType::kText, "enterprise",
       FieldFormat::kPersonName, false, false, true, false, {}, 100},
      {"contact_phone", "联系人电话", "Contact phone", FieldType::kText, "enterprise",
       FieldFormat::kPhone, false, true, true, false, {}, 32},
      // Contact and address.
      // A mobile for an individual (the service checks it); an enterprise may give a landline.
      {"phone", "手机号码", "Mobile phone", FieldType::kText, "contact", FieldFormat::kPhone,
       false, true, true, false, {}, 32},
      {"email", "电子邮箱", "E-mail", FieldType::kText, "contact", FieldFormat::kEmail, false,
       true, true, false, {}, 254},
      {"province", "省份", "Province", FieldType::kText, "address", FieldFormat::kNone, false,
       false, true, true, {}, 50},
      {"city", "城市", "City", FieldType::kText, "address", FieldFormat::kNone, false, false,
       true, true, {}, 50},
      {"district", "区县", "District", FieldType::kText, "address", FieldFormat::kNone, false,
       false, true, true, {}, 50},
      {"address_detail", "详细地址", "Street address", FieldType::kText, "address",
       FieldFormat::kNone, false, true, false, false, {}, 200},
      // Management.
      {"source_channel", "来源渠道", "Source channel", FieldType::kSingleSelect, "management",
       FieldFormat::kNone, false, false, true, true,
       {{"walk_in", {"门店到访", "Walk-in"}},
        {"referral", {"客户转介绍", "Referral"}},
        {"online", {"线上申请", "Online"}},
        {"agent", {"渠道代理", "Agent"}},
        {"telemarketing", {"电话营销", "Telemarketing"}},
        {"event", {"营销活动", "Marketing event"}},
        {"partner", {"合作机构", "Partner institution"}},
        {"other", {"其他", "Other"}}}},
      {"tags", "客户标签", "Tags", FieldType::kMultiSelect, "management", FieldFormat::kNone,
       false, false, true, false,
       {{"vip", {"VIP", "VIP"}},
        {"high_value", {"优质客户", "High value"}},
        {"new", {"新客户", "New"}},
        {"repeat", {"复贷客户", "Repeat borrower"}},
        {"salaried", {"工薪族", "Salaried"}},
        {"business_owner", {"个体工商户", "Business owner"}},
        {"farmer", {"农户", "Farmer"}},
        {"watch", {"重点关注", "Watch"}}}},
      {"risk_level", "风险等级", "Risk level", FieldType::kSingleSelect, "management",
       FieldFormat::kNone, false, false, true, true,
       {{"low", {"低", "Low"}}, {"medium", {"中", "Medium"}}, {"high", {"高", "High"}}}},
      {"status", "客户状态", "Status", FieldType::kSingleSelect, "management",
       FieldFormat::kNone, false, false, true, true,
       {{"prospect", {"潜在客户", "Prospect"}},
        {"active", {"正常", "Active"}},
        {"dormant", {"休眠", "Dormant"}},
        {"closed", {"已销户", "Closed"}}}},
      {"remarks", "备注", "Remarks", FieldType::kLongText, "management", FieldFormat::kNone,
       false, false, false, false, {}, 2000},
      // Kept by the service: who owns the customer, and when it changed.
      {"owner_id", "客户经理", "Account manager", FieldType::kInteger, "management",
       FieldFormat::kNone, false, false, true, true, {}, std::nullopt, true},
      {"department_id", "所属部门", "Department", FieldType::kInteger, "management",
       FieldFormat::kNone, false, false, true, true, {}, std::nullopt, true},
      {"created_at", "创建时间", "Created at", FieldType::kDateTime, "management",
       FieldFormat::kNone, false, false, true, true, {}, std::nullopt, true, "created_at_us"},
      {"updated_at", "更新时间", "Updated at", FieldType::kDateTime, "management",
       FieldFormat::kNone, false, false, true, true, {}, std::nullopt, true, "updated_at_us"},
  };
  // clang-format on
  forms::EntityDef entity;
  entity.key = std::string(kCustomerEntity);
  entity.label = {"客户", "Customer"};
  entity.table = "customers";
  entity.sections = {{"basic", {"基本信息", "Basic information"}},
                     {std::string(kIndividualSection), {"个人信息", "Individual"}},
                     {std::string(kEnterpriseSection), {"企业信息", "Enterprise"}},
                     {"contact", {"联系方式", "Contact"}},
                     {"address", {"地址", "Address"}},
                     {"management", {"管理信息", "Management"}}};
  int position = 0;
  for (const auto& spec : specs) entity.fields.push_back(Build(spec, position += 10));
  return entity;
}

namespace {

// customers_0001 as the first release ran it (commit 32dff7e), when it was still rendered from
// that release's CustomerEntity(): every field's columns, and an index on every filterable or
// sortable field (PostgreSQL's sorting NULLs first, as list queries order them). The text is
// frozen because databases recorded the id as applied; a fresh database must take the same
// steps to reach the same schema.
constexpr std::string_view kFirstCustomersTable = R"sql(CREATE TABLE customers (
  id {{id}},
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  industry TEXT,
  id_type TEXT,
  id_number_enc {{blob}},
  id_number_bidx {{blob}},
  gender TEXT,
  birth_date TEXT,
  marital_status TEXT,
  education TEXT,
  occupation TEXT,
  employer TEXT,
  monthly_income {{bigint}},
  bank_card_enc {{blob}},
  bank_card_bidx {{blob}},
  credit_code TEXT,
  legal_representative TEXT,
  registered_capital {{bigint}},
  established_date TEXT,
  annual_revenue {{bigint}},
  registered_address TEXT,
  operating_address TEXT,
  contact_person TEXT,
  contact_phone_enc {{blob}},
  contact_phone_bidx {{blob}},
  phone_enc {{blob}},
  phone_bidx {{blob}},
  email_enc {{blob}},
  email_bidx {{blob}},
  province TEXT,
  city TEXT,
  district TEXT,
  address_detail_enc {{blob}},
  address_detail_bidx {{blob}},
  source_channel TEXT,
  tags TEXT,
  risk_level TEXT,
  status TEXT,
  remarks TEXT,
  owner_id {{bigint}} NOT NULL REFERENCES users (id),
  department_id {{bigint}} NOT NULL REFERENCES departments (id),
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL,
  version {{bigint}} NOT NULL,
  created_by {{bigint}},
  updated_by {{bigint}},
  deleted_at_us {{bigint}},
  deleted_by {{bigint}}
);
)sql";

constexpr std::string_view kFirstCustomersSqliteIndexes =
    R"sql(CREATE INDEX customers_type_idx ON customers (type);
CREATE INDEX customers_name_idx ON customers (name);
CREATE INDEX customers_industry_idx ON customers (industry);
CREATE INDEX customers_id_type_idx ON customers (id_type);
CREATE INDEX customers_id_number_bidx_idx ON customers (id_number_bidx);
CREATE INDEX customers_gender_idx ON customers (gender);
CREATE INDEX customers_birth_date_idx ON customers (birth_date);
CREATE INDEX customers_marital_status_idx ON customers (marital_status);
CREATE INDEX customers_education_idx ON customers (education);
CREATE INDEX customers_occupation_idx ON customers (occupation);
CREATE INDEX customers_employer_idx ON customers (employer);
CREATE INDEX customers_monthly_income_idx ON customers (monthly_income);
CREATE INDEX customers_bank_card_bidx_idx ON customers (bank_card_bidx);
CREATE INDEX customers_credit_code_idx ON customers (credit_code);
CREATE INDEX customers_legal_representative_idx ON customers (legal_representative);
CREATE INDEX customers_registered_capital_idx ON customers (registered_capital);
CREATE INDEX customers_established_date_idx ON customers (established_date);
CREATE INDEX customers_annual_revenue_idx ON customers (annual_revenue);
CREATE INDEX customers_contact_person_idx ON customers (contact_person);
CREATE INDEX customers_contact_phone_bidx_idx ON customers (contact_phone_bidx);
CREATE INDEX customers_phone_bidx_idx ON customers (phone_bidx);
CREATE INDEX customers_email_bidx_idx ON customers (email_bidx);
CREATE INDEX customers_province_idx ON customers (province);
CREATE INDEX customers_city_idx ON customers (city);
CREATE INDEX customers_district_idx ON customers (district);
CREATE INDEX customers_address_detail_bidx_idx ON customers (address_detail_bidx);
CREATE INDEX customers_source_channel_idx ON customers (source_channel);
CREATE INDEX customers_risk_level_idx ON customers (risk_level);
CREATE INDEX customers_status_idx ON customers (status);
CREATE INDEX customers_owner_id_idx ON customers (owner_id);
CREATE INDEX customers_department_id_idx ON customers (department_id);
CREATE INDEX customers_created_at_us_idx ON customers (created_at_us);
CREATE INDEX customers_updated_at_us_idx ON customers (updated_at_us);
)sql";

constexpr std::string_view kFirstCustomersPostgresIndexes =
    R"sql(CREATE INDEX customers_type_idx ON customers (type NULLS FIRST);
CREATE INDEX customers_name_idx ON customers (name NULLS FIRST);
CREATE INDEX customers_industry_idx ON customers (industry NULLS FIRST);
CREATE INDEX customers_id_type_idx ON customers (id_type NULLS FIRST);
CREATE INDEX customers_id_number_bidx_idx ON customers (id_number_bidx);
CREATE INDEX customers_gender_idx ON customers (gender NULLS FIRST);
CREATE INDEX customers_birth_date_idx ON customers (birth_date NULLS FIRST);
CREATE INDEX customers_marital_status_idx ON customers (marital_status NULLS FIRST);
CREATE INDEX customers_education_idx ON customers (education NULLS FIRST);
CREATE INDEX customers_occupation_idx ON customers (occupation NULLS FIRST);
CREATE INDEX customers_employer_idx ON customers (employer NULLS FIRST);
CREATE INDEX customers_monthly_income_idx ON customers (monthly_income NULLS FIRST);
CREATE INDEX customers_bank_card_bidx_idx ON customers (bank_card_bidx);
CREATE INDEX customers_credit_code_idx ON customers (credit_code NULLS FIRST);
CREATE INDEX customers_legal_representative_idx ON customers (legal_representative NULLS FIRST);
CREATE INDEX customers_registered_capital_idx ON customers (registered_capital NULLS FIRST);
CREATE INDEX customers_established_date_idx ON customers (established_date NULLS FIRST);
CREATE INDEX customers_annual_revenue_idx ON customers (annual_revenue NULLS FIRST);
CREATE INDEX customers_contact_person_idx ON customers (contact_person NULLS FIRST);
CREATE INDEX customers_contact_phone_bidx_idx ON customers (contact_phone_bidx);
CREATE INDEX customers_phone_bidx_idx ON customers (phone_bidx);
CREATE INDEX customers_email_bidx_idx ON customers (email_bidx);
CREATE INDEX customers_province_idx ON customers (province NULLS FIRST);
CREATE INDEX customers_city_idx ON customers (city NULLS FIRST);
CREATE INDEX customers_district_idx ON customers (district NULLS FIRST);
CREATE INDEX customers_address_detail_bidx_idx ON customers (address_detail_bidx);
CREATE INDEX customers_source_channel_idx ON customers (source_channel NULLS FIRST);
CREATE INDEX customers_risk_level_idx ON customers (risk_level NULLS FIRST);
CREATE INDEX customers_status_idx ON customers (status NULLS FIRST);
CREATE INDEX customers_owner_id_idx ON customers (owner_id NULLS FIRST);
CREATE INDEX customers_department_id_idx ON customers (department_id NULLS FIRST);
CREATE INDEX customers_created_at_us_idx ON customers (created_at_us NULLS FIRST);
CREATE INDEX customers_updated_at_us_idx ON customers (updated_at_us NULLS FIRST);
)sql";

// One live customer per identity document and per credit code: the index turns a race between
// two clerks into a clean "already exists" instead of an island.
constexpr std::string_view kFirstCustomersKeys =
    "CREATE UNIQUE INDEX customers_identity_unique ON customers (id_number_bidx) "
    "WHERE deleted_at_us IS NULL AND id_number_bidx IS NOT NULL;\n"
    "CREATE UNIQUE INDEX customers_credit_code_unique ON customers (credit_code) "
    "WHERE deleted_at_us IS NULL AND credit_code IS NOT NULL;\n"
    "CREATE INDEX customers_by_owner_live ON customers (owner_id, id) "
    "WHERE deleted_at_us IS NULL;\n";

std::string FirstCustomersSql(std::string_view indexes) {
  return std::string(kFirstCustomersTable) + std::string(indexes) +
         std::string(kFirstCustomersKeys);
}

}  // namespace

std::vector<storage::Migration> Migrations() {
  // Migrations are frozen text: none is rendered from CustomerEntity(), so a field added to it,
  // or an index it should have, needs a migration of its own.
  return {{.id = "customers_0001_customers",
           .sqlite_sql = FirstCustomersSql(kFirstCustomersSqliteIndexes),
           .postgres_sql = FirstCustomersSql(kFirstCustomersPostgresIndexes)},
          {.id = "customers_0002_relations_and_followups", .sql = R"sql(
CREATE TABLE customer_relations (
  id {{id}},
  customer_id {{bigint}} NOT NULL REFERENCES customers (id),
  role TEXT NOT NULL,
  related_customer_id {{bigint}} REFERENCES customers (id),
  person_name TEXT,
  person_phone_enc {{blob}},
  share_ppm {{bigint}},
  note TEXT NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  created_by {{bigint}},
  deleted_at_us {{bigint}},
  deleted_by {{bigint}}
);
CREATE INDEX customer_relations_by_customer ON customer_relations (customer_id);
CREATE INDEX customer_relations_by_related ON customer_relations (related_customer_id);

CREATE TABLE customer_followups (
  id {{id}},
  customer_id {{bigint}} NOT NULL REFERENCES customers (id),
  channel TEXT NOT NULL,
  content TEXT NOT NULL,
  outcome TEXT NOT NULL,
  next_followup_date TEXT,
  created_at_us {{bigint}} NOT NULL,
  created_by {{bigint}} NOT NULL
);
CREATE INDEX customer_followups_by_customer ON customer_followups (customer_id, created_at_us);
CREATE INDEX customer_followups_by_next_date ON customer_followups (next_followup_date);
)sql"},
          // The first release indexed every filterable field. Every index costs each insert a
          // B-tree descent and, once the table outgrows memory, a page written per commit; at a
          // million customers those 30-odd indexes cut bulk intake to an eighth. Kept are the
          // columns lists look up, page or sort by at scale: the name (prefix search), the scope
          // columns, the dates, and the blind indexes of personal data (exact lookup; partial, so
          // customers without a value cost nothing). The ID number and credit code are served by
          // their unique indexes. The other filters walk the list's order until a page is full,
          // which is quick for the common values of low-cardinality fields (status, risk level,
          // channel, gender …). The street address is not searched at all.
          {.id = "customers_0003_lean_indexes", .sql = R"sql(
DROP INDEX IF EXISTS customers_type_idx;
DROP INDEX IF EXISTS customers_industry_idx;
DROP INDEX IF EXISTS customers_id_type_idx;
DROP INDEX IF EXISTS customers_id_number_bidx_idx;
DROP INDEX IF EXISTS customers_gender_idx;
DROP INDEX IF EXISTS customers_birth_date_idx;
DROP INDEX IF EXISTS customers_marital_status_idx;
DROP INDEX IF EXISTS customers_education_idx;
DROP INDEX IF EXISTS customers_occupation_idx;
DROP INDEX IF EXISTS customers_employer_idx;
DROP INDEX IF EXISTS customers_monthly_income_idx;
DROP INDEX IF EXISTS customers_credit_code_idx;
DROP INDEX IF EXISTS customers_legal_representative_idx;
DROP INDEX IF EXISTS customers_registered_capital_idx;
DROP INDEX IF EXISTS customers_established_date_idx;
DROP INDEX IF EXISTS customers_annual_revenue_idx;
DROP INDEX IF EXISTS customers_contact_person_idx;
DROP INDEX IF EXISTS customers_province_idx;
DROP INDEX IF EXISTS customers_city_idx;
DROP INDEX IF EXISTS customers_district_idx;
DROP INDEX IF EXISTS customers_source_channel_idx;
DROP INDEX IF EXISTS customers_risk_level_idx;
DROP INDEX IF EXISTS customers_status_idx;
DROP INDEX IF EXISTS customers_owner_id_idx;
DROP INDEX IF EXISTS customers_bank_card_bidx_idx;
DROP INDEX IF EXISTS customers_contact_phone_bidx_idx;
DROP INDEX IF EXISTS customers_phone_bidx_idx;
DROP INDEX IF EXISTS customers_email_bidx_idx;
DROP INDEX IF EXISTS customers_address_detail_bidx_idx;
CREATE INDEX customers_bank_card_bidx_idx ON customers (bank_card_bidx)
  WHERE bank_card_bidx IS NOT NULL;
CREATE INDEX customers_contact_phone_bidx_idx ON customers (contact_phone_bidx)
  WHERE contact_phone_bidx IS NOT NULL;
CREATE INDEX customers_phone_bidx_idx ON customers (phone_bidx) WHERE phone_bidx IS NOT NULL;
CREATE INDEX customers_email_bidx_idx ON customers (email_bidx) WHERE email_bidx IS NOT NULL;
DROP INDEX IF EXISTS customers_by_owner_name;
CREATE INDEX customers_by_owner_name ON customers (owner_id, name) WHERE deleted_at_us IS NULL;
)sql"},
          // One name index serves every scope: it holds the id, for the (name, id) list order, and
          // the owner and department, so an account manager's or a branch's name search checks
          // scope from the index without reading the row. The separate (owner, name) index it
          // replaces was a fifth index updated at a random place on every insert, which cost bulk
          // intake at a million customers about an eighth of its speed.
          {.id = "customers_0004_one_name_index", .sql = R"sql(
DROP INDEX IF EXISTS customers_name_idx;
DROP INDEX IF EXISTS customers_by_owner_name;
CREATE INDEX customers_by_name ON customers (name, id, owner_id, department_id)
  WHERE deleted_at_us IS NULL;
)sql"},
          // customers_0003 drops the street address's blind index only since commit 5144c6d; a
          // database that applied its earlier text (from commit e715a45 on) still carries that
          // index, which no list uses and every insert updates.
          {.id = "customers_0005_no_street_address_index", .sql = R"sql(
DROP INDEX IF EXISTS customers_address_detail_bidx_idx;
)sql"},
          {.id = "customers_0006_credit_code_pending_reason", .sql = R"sql(
ALTER TABLE customers ADD COLUMN credit_code_pending_reason TEXT;
)sql"},
          // The last four digits of the phone lists show, kept beside the encrypted phones so a
          // caller's "尾号 8000" is one index lookup. Only the field cipher can read the phones of
          // the rows already there, and a migration has no keys: it marks them '*', and the
          // customer service fills them in at start-up (FillPendingPhoneTails), through this
          // index, before the server takes requests.
          {.id = "customers_0007_phone_tail", .sql = R"sql(
ALTER TABLE customers ADD COLUMN phone_tail TEXT;
UPDATE customers SET phone_tail = '*'
  WHERE phone_enc IS NOT NULL OR contact_phone_enc IS NOT NULL;
CREATE INDEX customers_phone_tail_idx ON customers (phone_tail) WHERE phone_tail IS NOT NULL;
)sql"},
          // A related person who is not a customer may carry a resident ID number, encrypted,
          // with a blind index that finds the same person in a role a second time.
          {.id = "customers_0008_relation_person_id_number", .sql = R"sql(
ALTER TABLE customer_relations ADD COLUMN person_id_number_enc {{blob}};
ALTER TABLE customer_relations ADD COLUMN person_id_number_bidx {{blob}};
CREATE INDEX customer_relations_by_person_id_number
  ON customer_relations (person_id_number_bidx) WHERE person_id_number_bidx IS NOT NULL;
)sql"}};
}

std::optional<CustomerType> CustomerTypeFromName(std::string_view name) {
  for (CustomerType type : {CustomerType::kIndividual, CustomerType::kEnterprise}) {
    if (CustomerTypeName(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace oc::customers
