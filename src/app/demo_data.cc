#include "app/demo_data.h"

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <random>
#include <string_view>

#include "app/demo_vocabulary.h"
#include "core/china_regions.h"
#include "core/credit_code.h"
#include "crypto/random.h"

namespace oc::app {

namespace {

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* department;
  const char* role;
  const char* supervisor;  // username, or nullptr
};

}  // namespace

Result<std::vector<DemoAccount>> SeedDemoOrganization(auth::OrganizationService& organization,
                                                      const audit::Actor& actor) {
  struct DemoDepartment {
    const char* name;
    const char* parent;  // nullptr: top level
  };
  const DemoDepartment departments[] = {
      {"总行", nullptr},           {"风险管理部", "总行"}, {"财务部", "总行"},
      {"城东支行", "总行"},        {"城西支行", "总行"},   {"城东支行营销一组", "城东支行"},
      {"城西支行营销一组", "城西支行"},
  };
  std::map<std::string, auth::DepartmentId> ids;
  for (const auto& d : departments) {
    auth::NewDepartment input{.name = d.name};
    if (d.parent) input.parent_id = ids.at(d.parent);
    ASSIGN_OR_RETURN(auth::Department created, organization.CreateDepartment(actor, input));
    ids[d.name] = created.id;
  }

  const DemoUser users[] = {
      {"admin", "系统管理员", "总行", "admin", nullptr},
      // Two security administrators, so that a privileged change one asks for can be confirmed.
      {"sec.zhou", "周安全", "总行", "security_admin", nullptr},
      {"sec.wu", "吴安全", "总行", "security_admin", nullptr},
      {"gm.wang", "王总", "总行", "general_manager", nullptr},
      {"risk.li", "李风控", "风险管理部", "risk_officer", "gm.wang"},
      {"finance.zhao", "赵财务", "财务部", "finance", "gm.wang"},
      {"auditor.sun", "孙审计", "总行", "auditor", nullptr},
      {"manager.chen", "陈经理", "城东支行", "department_manager", "gm.wang"},
      {"am.zhang", "张客户经理", "城东支行营销一组", "account_manager", "manager.chen"},
      {"am.liu", "刘客户经理", "城西支行营销一组", "account_manager", "gm.wang"},
  };
  std::map<std::string, auth::UserId> user_ids;
  std::vector<DemoAccount> accounts;
  for (const auto& u : users) {
    // 12 URL-safe characters from 72 random bits: strong, and easy to copy from a log line.
    std::string password = crypto::RandomToken(9);
    auth::NewUser input{.username = u.username,
                        .display_name = u.display_name,
                        .password = password,
                        .department_id = ids.at(u.department),
                        .role_keys = {u.role}};
    if (u.supervisor) input.supervisor_id = user_ids.at(u.supervisor);
    ASSIGN_OR_RETURN(auth::User created, organization.CreateUser(actor, input));
    user_ids[u.username] = created.id;
    accounts.push_back({u.username, u.role, password});
  }
  return accounts;
}

}  // namespace oc::app

namespace oc::app {

namespace {

namespace json = boost::json;
using namespace demo_vocabulary;

constexpr const char* kCompanyWords[] = {"恒信", "华泰", "锦程", "鑫源", "中联", "宏达",
                                         "瑞丰", "永盛", "嘉禾", "汇通", "天成", "盛世"};
constexpr const char* kCompanyTrades[] = {"科技有限公司", "商贸有限公司", "建材有限公司",
                                          "农业发展有限公司", "餐饮管理有限公司",
                                          "物流有限公司", "电子科技有限公司"};
constexpr const char* kIndustries[] = {"A", "C", "E", "F", "G", "H", "I", "K", "L", "O"};
constexpr const char* kFollowUps[][2] = {
    {"phone", "电话回访，了解资金需求与用途"},
    {"visit", "上门走访经营场所，核实经营情况"},
    {"wechat", "微信沟通，补充收入证明材料"},
    {"phone", "提醒客户准备征信授权书"},
    {"visit", "实地查看抵押房产"},
    {"email", "发送产品介绍与利率说明"},
};
constexpr const char* kOutcomes[] = {"有贷款意向", "需进一步跟进", "资料已补齐", "暂无需求"};

template <class T, size_t N>
const T& Pick(std::mt19937& rng, const T (&items)[N]) {
  return items[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string CreditCode(std::mt19937& rng, std::string_view region) {
  std::string first17 = "91" + std::string(region);
  for (int i = 0; i < 9; ++i) first17 += static_cast<char>('0' + rng() % 10);
  return first17 + CreditCodeCheckCharacter(first17);
}

std::string Mobile(std::mt19937& rng) {
  static constexpr const char* kPrefixes[] = {"133", "135", "136", "138", "139", "150", "151",
                                              "158", "177", "186", "188", "189", "199"};
  std::string phone = Pick(rng, kPrefixes);
  for (int i = 0; i < 8; ++i) phone += static_cast<char>('0' + rng() % 10);
  return phone;
}

}  // namespace

Result<int> SeedDemoCustomers(auth::OrganizationService& organization,
                              auth::SessionService& sessions,
                              customers::CustomerService& customer_service,
                              customers::FollowUpService& followups, runtime::TodoService& todos,
                              const Clock& clock) {
  std::mt19937 rng(20261128);
  auto regions = DemoChinaRegions();
  Date today = Date::FromDays(static_cast<int32_t>(
      std::chrono::floor<std::chrono::days>(clock.Now()).time_since_epoch().count()));
  int created = 0;
  struct Owner {
    const char* username;
    int individuals;
    int enterprises;
  };
  for (const Owner& owner : {Owner{"am.zhang", 75, 15}, Owner{"am.liu", 70, 15},
                             Owner{"manager.chen", 15, 10}}) {
    ASSIGN_OR_RETURN(auto user, organization.FindUserByUsername(owner.username));
    if (!user) return NotFound({"演示用户不存在", "Demo user missing"});
    ASSIGN_OR_RETURN(auto principal, sessions.PrincipalOf(user->id));
    audit::Actor actor{.user_id = user->id.value(), .username = user->username};

    std::vector<json::object> inputs;
    for (int i = 0; i < owner.individuals; ++i) {
      const ChinaRegion& region = regions[rng() % regions.size()];
      int age = 22 + static_cast<int>(rng() % 43);
      auto birth = Date::FromYmd(today.year() - age, 1 + rng() % 12, 1 + rng() % 28);
      json::object c{{"type", "individual"},
                     {"name", std::string(Pick(rng, kSurnames)) + Pick(rng, kGivenNames)},
                     {"id_number", MakeResidentIdNumber(region.code, *birth,
                                                        static_cast<int>(rng() % 1000))},
                     {"phone", Mobile(rng)},
                     {"province", region.province},
                     {"city", region.city},
                     {"district", region.district},
                     {"address_detail", std::string(region.district) + "人民路" +
                                            std::to_string(1 + rng() % 300) + "号"},
                     {"occupation", Pick(rng, kOccupations)},
                     {"education", Pick(rng, kEducation)},
                     {"marital_status", Pick(rng, kMaritalStatuses)},
                     {"monthly_income", std::to_string(3000 + rng() % 47000) + ".00"},
                     {"industry", Pick(rng, kIndustries)},
                     {"source_channel", Pick(rng, kChannels)},
                     {"risk_level", Pick(rng, kRiskLevels)},
                     {"status", Pick(rng, kStatuses)},
                     {"tags", json::array{Pick(rng, kTags)}}};
      inputs.push_back(std::move(c));
    }
    for (int i = 0; i < owner.enterprises; ++i) {
      const ChinaRegion& region = regions[rng() % regions.size()];
      auto established = Date::FromYmd(2005 + static_cast<int>(rng() % 18), 1 + rng() % 12,
                                       1 + rng() % 28);
      std::string name = std::string(region.city) + Pick(rng, kCompanyWords) +
                         Pick(rng, kCompanyTrades);
      json::object c{
          {"type", "enterprise"},
          {"name", name},
          {"credit_code", CreditCode(rng, region.code)},
          {"legal_representative", std::string(Pick(rng, kSurnames)) + Pick(rng, kGivenNames)},
          {"registered_capital", std::to_string((1 + rng() % 100) * 100000) + ".00"},
          {"annual_revenue", std::to_string((5 + rng() % 500) * 100000) + ".00"},
          {"established_date", established->ToString()},
          {"contact_person", std::string(Pick(rng, kSurnames)) + Pick(rng, kGivenNames)},
          {"contact_phone", Mobile(rng)},
          {"province", region.province},
          {"city", region.city},
          {"district", region.district},
          {"registered_address", std::string(region.city) + std::string(region.district) +
                                     "科技园" + std::to_string(1 + rng() % 50) + "栋"},
          {"industry", Pick(rng, kIndustries)},
          {"source_channel", Pick(rng, kChannels)},
          {"risk_level", Pick(rng, kRiskLevels)},
          {"status", Pick(rng, kStatuses)}};
      inputs.push_back(std::move(c));
    }
    ASSIGN_OR_RETURN(auto results, customer_service.CreateBatch(*principal, actor, inputs));
    int todos_made = 0;
    for (size_t index = 0; index < results.size(); ++index) {
      const auto& result = results[index];
      if (!result.id) continue;  // a generated ID number that happens to repeat: skip it
      ++created;
      // The account managers' lists of 我的待办 open with work on their own customers, one of
      // it already late.
      if (todos_made < 3 && std::string_view(owner.username).starts_with("am.")) {
        static constexpr std::array<std::pair<const char*, int>, 3> kWork = {{
            {"回访确认资金用途：", -1},
            {"收集近三个月银行流水：", 2},
            {"提醒准备征信授权书：", 5},
        }};
        const auto& [what, days] = kWork[todos_made++];
        RETURN_IF_ERROR(todos.Create(
            actor, {.assignee = runtime::UserRef(user->id.value()),
                    .title = std::string(what) + std::string(inputs[index].at("name").as_string()),
                    .due_at = clock.Now() + std::chrono::days(days),
                    .link = {"customer", std::to_string(result.id->value())}}));
      }
      if (rng() % 3 != 0) continue;
      int count = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < count; ++f) {
        const auto& followup = Pick(rng, kFollowUps);
        std::string next = rng() % 2 ? today.AddDays(1 + rng() % 30).ToString() : "";
        RETURN_IF_ERROR(followups.Add(*principal, actor, *result.id,
                                      {.channel = followup[0],
                                       .content = followup[1],
                                       .outcome = Pick(rng, kOutcomes),
                                       .next_followup_date = next}));
      }
    }
  }
  return created;
}

}  // namespace oc::app
