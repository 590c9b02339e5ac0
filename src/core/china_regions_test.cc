#include "core/china_regions.h"

#include <gtest/gtest.h>

#include <set>

#include "core/resident_id.h"

namespace oc {
namespace {

TEST(ChinaRegionsTest, ListsDistinctSixDigitCodesInOrder) {
  auto regions = DemoChinaRegions();
  EXPECT_GE(regions.size(), 60u);
  std::set<std::string_view> codes;
  std::set<std::string_view> provinces;
  std::string_view previous;
  for (const ChinaRegion& region : regions) {
    EXPECT_EQ(region.code.size(), 6u);
    EXPECT_GT(region.code, previous);
    previous = region.code;
    EXPECT_TRUE(codes.insert(region.code).second) << region.code;
    EXPECT_FALSE(region.province.empty());
    EXPECT_FALSE(region.city.empty());
    EXPECT_FALSE(region.district.empty());
    provinces.insert(region.province);
  }
  EXPECT_GE(provinces.size(), 10u);
}

TEST(ChinaRegionsTest, IncludesTheWellKnownDistricts) {
  std::set<std::string> entries;
  for (const ChinaRegion& r : DemoChinaRegions()) {
    entries.insert(std::string(r.code) + " " + std::string(r.district));
  }
  for (const char* expected :
       {"110105 朝阳区", "310115 浦东新区", "440106 天河区", "440305 南山区", "330106 西湖区",
        "510107 武侯区", "420106 武昌区", "610113 雁塔区"}) {
    EXPECT_TRUE(entries.contains(expected)) << expected;
  }
}

TEST(MakeResidentIdNumberTest, ReproducesTheStandardsSample) {
  EXPECT_EQ(MakeResidentIdNumber("110105", *Date::Parse("1949-12-31"), 2), "11010519491231002X");
}

TEST(MakeResidentIdNumberTest, MakesNumbersThatParseForEveryDemoRegion) {
  int sequence = 0;
  for (const ChinaRegion& region : DemoChinaRegions()) {
    const Date birth = *Date::Parse("1988-02-29");
    const std::string number = MakeResidentIdNumber(region.code, birth, sequence);
    auto id = ResidentIdNumber::Parse(number);
    ASSERT_TRUE(id) << number;
    EXPECT_EQ(id->value(), number);
    EXPECT_EQ(id->region_code(), region.code);
    EXPECT_EQ(id->birth_date(), birth);
    EXPECT_EQ(id->gender(), sequence % 2 == 1 ? ResidentIdNumber::Gender::kMale
                                              : ResidentIdNumber::Gender::kFemale);
    sequence = (sequence + 37) % 1000;
  }
}

TEST(MakeResidentIdNumberTest, PadsTheSequenceToThreeDigits) {
  const std::string number = MakeResidentIdNumber("440305", *Date::Parse("2000-01-02"), 7);
  EXPECT_EQ(number.substr(0, 17), "44030520000102007");
  EXPECT_TRUE(ResidentIdNumber::Parse(number));
  EXPECT_TRUE(
      ResidentIdNumber::Parse(MakeResidentIdNumber("440305", *Date::Parse("1900-01-01"), 999)));
}

TEST(MakeResidentIdNumberDeathTest, AbortsOnArgumentsThatCannotMakeANumber) {
  EXPECT_DEATH(MakeResidentIdNumber("11010", *Date::Parse("1990-01-01"), 1), "bad arguments");
  EXPECT_DEATH(MakeResidentIdNumber("110105", *Date::Parse("1990-01-01"), 1000), "bad arguments");
  EXPECT_DEATH(MakeResidentIdNumber("110105", *Date::Parse("1899-12-31"), 1), "bad arguments");
}

}  // namespace
}  // namespace oc
