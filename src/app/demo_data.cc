#include "app/demo_data.h"

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
