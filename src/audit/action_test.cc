#include "audit/action.h"

#include <gtest/gtest.h>

#include <set>

namespace oc::audit {
namespace {

TEST(ActionTest, EveryActionHasOneStoredNameAndBothLabels) {
  std::set<std::string_view> names;
  size_t index = 0;
  for (const ActionInfo& info : AllActions()) {
    EXPECT_EQ(static_cast<size_t>(info.action), index++) << info.name << " is out of order";
    EXPECT_TRUE(names.insert(info.name).second) << info.name << " appears twice";
    EXPECT_EQ(ActionName(info.action), info.name);
    EXPECT_EQ(ActionFromName(info.name), info.action);
    EXPECT_FALSE(info.label.zh_cn.empty()) << info.name;
    EXPECT_FALSE(info.label.en_us.empty()) << info.name;
    EXPECT_NE(info.name.find('.'), std::string_view::npos) << info.name;
  }
  EXPECT_EQ(static_cast<size_t>(Action::kBusinessDateAdvanced) + 1, AllActions().size());
  EXPECT_FALSE(ActionFromName("customer.teleported"));
  EXPECT_EQ(ActionLabel(Action::kCustomerCreate).zh_cn, "新建客户");
}

}  // namespace
}  // namespace oc::audit
