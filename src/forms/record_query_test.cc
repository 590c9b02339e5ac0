#include "forms/record_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "forms/test_entity.h"

namespace oc::forms {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAre;
using testing::FormsTest;
using testing::ViolationCodes;

class RecordQueryTest : public FormsTest {
 protected:
  void SetUp() override {
    FormsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Add({.name = "score",
         .label = {"评分", "Score"},
         .type = "integer",
         .filterable = true,
         .sortable = true});
    Add({.name = "income",
         .label = {"月收入", "Income"},
         .type = "money",
         .filterable = true,
         .sortable = true});
    Add({.name = "visit_date",
         .label = {"走访日期", "Visit date"},
         .type = "date",
         .filterable = true,
         .sortable = true});
    Add({.name = "vip", .label = {"贵宾", "VIP"}, .type = "boolean", .filterable = true});
    Add({.name = "tags",
         .label = {"标签", "Tags"},
         .type = "multi_select",
         .filterable = true,
         .options = {{"a_b", {"甲", "A"}}, {"axb", {"乙", "B"}}, {"c", {"丙", "C"}}}});
  }

  Result<ListQuery> Parse(const QueryParams& params) {
    return ParseListQuery(*Def(), params, cipher_, db().dialect(),
                          {.caller_params = {"q"}});
  }

  // The ids of one page, and its next cursor.
  std::pair<std::vector<int64_t>, std::optional<std::string>> Page(const QueryParams& params) {
    auto query = Parse(params);
    EXPECT_TRUE(query) << (query ? "" : ViolationCodes(query.error()).empty()
                                            ? query.error().internal_detail
                                            : ViolationCodes(query.error())[0]);
    if (!query) return {};
    auto def = Def();
    storage::Rows rows;
    auto status = db().Read([&](storage::Tx& tx) -> Status {
      SqlFragment statement = query->Statement("id, " + SelectColumns(*def), "test_records",
                                               {"version = ?", {int64_t{1}}});
      ASSIGN_OR_RETURN(rows, tx.Query(statement.sql, statement.params));
      return Ok();
    });
    EXPECT_TRUE(status) << status.error().internal_detail;
    auto next = query->TakePage(rows);
    std::vector<int64_t> ids;
    for (const storage::Row& row : rows) ids.push_back(row.Int("id"));
    return {ids, next};
  }

  std::vector<int64_t> Ids(const QueryParams& params) { return Page(params).first; }

  // What CountStatement counts for `params`, within the same scope as Page.
  int64_t Count(const QueryParams& params) {
    auto query = Parse(params);
    EXPECT_TRUE(query);
    if (!query) return -1;
    int64_t count = -1;
    auto status = db().Read([&](storage::Tx& tx) -> Status {
      SqlFragment statement = query->CountStatement("test_records", {"version = ?", {int64_t{1}}});
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(statement.sql, statement.params));
      count = row->Int(0);
      return Ok();
    });
    EXPECT_TRUE(status) << status.error().internal_detail;
    return count;
  }
};

TEST_P(RecordQueryTest, ExactFilterOnASensitiveFieldGoesThroughTheBlindIndex) {
  const int64_t zhang = Insert({{"name", "张三"},
                                {"id_number", "11010519491231002X"},
                                {"phone", "13800138000"}});
  Insert({{"name", "李四"}, {"id_number", "110105194912310038"}, {"phone", "13900139000"}});
  // Standardised like input: lower-case x, +86 and dashes.
  EXPECT_THAT(Ids({{"id_number", "11010519491231002x"}}), ElementsAre(zhang));
  EXPECT_THAT(Ids({{"phone", "+86 138-0013-8000"}}), ElementsAre(zhang));
  EXPECT_THAT(Ids({{"phone", "13700137000"}}), ElementsAre());

  auto bad = Parse({{"phone", "12345"}});
  ASSERT_FALSE(bad);
  EXPECT_THAT(ViolationCodes(bad.error()), ElementsAre("phone:invalid_value"));
}

TEST_P(RecordQueryTest, RangeFiltersAreInclusive) {
  const int64_t a = Insert({{"name", "甲"}, {"income", "1000.00"}, {"visit_date", "2024-01-01"}});
  const int64_t b = Insert({{"name", "乙"}, {"income", "5000.50"}, {"visit_date", "2024-02-15"}});
  const int64_t c = Insert({{"name", "丙"}, {"income", "9000"}, {"visit_date", "2024-03-31"}});
  Insert({{"name", "丁"}});
  EXPECT_THAT(Ids({{"income.from", "1000"}, {"income.to", "5000.50"}}), ElementsAre(a, b));
  EXPECT_THAT(Ids({{"visit_date.from", "2024-02-01"}}), ElementsAre(b, c));
  EXPECT_THAT(Ids({{"visit_date.to", "2024-02-15"}}), ElementsAre(a, b));
  EXPECT_THAT(Ids({{"created_at.from", "2024-05-01T00:00:01Z"},
                   {"created_at.to", "2024-05-01T00:00:02Z"}}),
              ElementsAre(b, c));
}

TEST_P(RecordQueryTest, PrefixSelectAndBooleanFilters) {
  const int64_t a = Insert({{"name", "张三"}, {"vip", true}, {"tags", json::array{"a_b", "c"}}});
  const int64_t b = Insert({{"name", "张三丰"}, {"vip", false}, {"tags", json::array{"axb"}}});
  const int64_t c = Insert({{"name", "李四"}, {"vip", true}});
  EXPECT_THAT(Ids({{"name.prefix", "张三"}}), ElementsAre(a, b));
  EXPECT_THAT(Ids({{"name.prefix", "李"}}), ElementsAre(c));
  EXPECT_THAT(Ids({{"name", "张三"}}), ElementsAre(a));
  EXPECT_THAT(Ids({{"vip", "true"}}), ElementsAre(a, c));
  EXPECT_THAT(Ids({{"vip", "false"}, {"q", "ignored by the codec"}}), ElementsAre(b));
  // '_' in an option value is matched literally, not as LIKE's single-character wildcard.
  EXPECT_THAT(Ids({{"tags", "a_b"}}), ElementsAre(a));
  EXPECT_THAT(Ids({{"tags", "axb"}}), ElementsAre(b));
  EXPECT_THAT(Ids({{"tags", "c"}, {"tags", "axb"}}), ElementsAre(a, b));
  EXPECT_THAT(Ids({{"name", "张三"}, {"name", "李四"}}), ElementsAre(a, c));
}

TEST_P(RecordQueryTest, SortAndCursorPagesAreStableAndComplete) {
  // Scores with duplicates and missing values, so the id tiebreaker and NULL order matter.
  struct Expected {
    std::optional<int64_t> score;
    std::string name;
    int64_t id;
  };
  std::vector<Expected> all;
  const char* names[] = {"delta", "alpha", "charlie", "bravo"};
  for (int i = 0; i < 23; ++i) {
    json::object input{{"name", names[i % 4]}};
    std::optional<int64_t> score;
    if (i % 5 != 0) score = i % 3;
    if (score) input["score"] = *score;
    all.push_back({score, names[i % 4], Insert(input)});
  }

  for (std::string sort : {"-score,name", "score", "-score", "name,-id"}) {
    std::vector<Expected> expected = all;
    // The documented order: NULL smallest; then the named keys; then id.
    auto key = [&](const Expected& e) {
      if (sort == "-score,name") {
        return std::make_tuple(e.score ? -*e.score : std::numeric_limits<int64_t>::max(),
                               e.name, e.id);
      }
      if (sort == "score") {
        return std::make_tuple(e.score ? *e.score : std::numeric_limits<int64_t>::min(),
                               std::string(), e.id);
      }
      if (sort == "-score") {
        return std::make_tuple(e.score ? -*e.score : std::numeric_limits<int64_t>::max(),
                               std::string(), e.id);
      }
      return std::make_tuple(int64_t{0}, e.name, -e.id);
    };
    std::sort(expected.begin(), expected.end(),
              [&](const Expected& x, const Expected& y) { return key(x) < key(y); });
    std::vector<int64_t> expected_ids;
    for (const Expected& e : expected) expected_ids.push_back(e.id);

    std::vector<int64_t> seen;
    std::optional<std::string> cursor;
    int pages = 0;
    do {
      QueryParams params{{"sort", sort}, {"limit", "4"}};
      if (cursor) params.emplace("cursor", *cursor);
      auto [ids, next] = Page(params);
      ASSERT_LE(ids.size(), 4u);
      seen.insert(seen.end(), ids.begin(), ids.end());
      cursor = next;
      ASSERT_LT(++pages, 10);
    } while (cursor);
    EXPECT_THAT(seen, ElementsAreArray(expected_ids)) << "sort=" << sort;
  }
}

TEST_P(RecordQueryTest, TheCountCoversEveryPageOfTheFilterAndIgnoresCursorAndLimit) {
  for (int i = 0; i < 5; ++i) Insert({{"name", "甲" + std::to_string(i)}, {"score", i}});
  Insert({{"name", "乙"}, {"score", 9}});
  auto [first, cursor] = Page({{"score.to", "4"}, {"limit", "2"}});
  ASSERT_EQ(first.size(), 2u);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(Count({{"score.to", "4"}, {"limit", "2"}}), 5);
  EXPECT_EQ(Count({{"score.to", "4"}, {"limit", "2"}, {"cursor", *cursor}}), 5);
  EXPECT_EQ(Count({}), 6);
  EXPECT_EQ(Count({{"name", "丙"}}), 0);
}

TEST_P(RecordQueryTest, ACursorOnlyWorksWithItsOwnSort) {
  for (int i = 0; i < 3; ++i) Insert({{"name", "甲"}, {"score", i}});
  auto [ids, next] = Page({{"sort", "score"}, {"limit", "2"}});
  ASSERT_TRUE(next);
  auto other = Parse({{"sort", "-score"}, {"cursor", *next}});
  ASSERT_FALSE(other);
  EXPECT_THAT(ViolationCodes(other.error()), ElementsAre("cursor:invalid_cursor"));
  auto garbage = Parse({{"cursor", "zz"}});
  ASSERT_FALSE(garbage);
  EXPECT_THAT(ViolationCodes(garbage.error()), ElementsAre("cursor:invalid_cursor"));
}

TEST_P(RecordQueryTest, BadParametersAreNamed) {
  auto result = Parse({{"nickname", "x"},
                       {"limit", "501"},
                       {"phone.prefix", "138"},
                       {"vip.from", "true"},
                       {"tags", "zzz"},
                       {"visit_date.from", "2024-13-01"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(ViolationCodes(result.error()),
              UnorderedElementsAre("nickname:unknown_parameter", "limit:invalid_limit",
                                   "phone.prefix:unknown_parameter", "vip.from:unknown_parameter",
                                   "tags:invalid_value", "visit_date.from:invalid_value"));

  Add({.name = "hidden", .label = {"隐藏", "Hidden"}, .type = "text"});
  auto unsortable = Parse({{"sort", "phone"}, {"hidden", "x"}});
  ASSERT_FALSE(unsortable);
  EXPECT_THAT(ViolationCodes(unsortable.error()),
              UnorderedElementsAre("hidden:not_filterable", "sort:not_sortable"));
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordQueryTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::forms
