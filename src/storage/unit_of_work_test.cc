// A use case's steps commit together or not at all, and what a refusal must keep survives it.
// Runs on SQLite and on PostgreSQL.

#include "storage/unit_of_work.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/migrations.h"
#include "storage/testing/faulty_db.h"
#include "storage/testing/test_databases.h"

namespace oc::storage {
namespace {

using testing::AllBackends;
using testing::BackendTestName;
using testing::FaultyDb;

class UnitOfWorkTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    OC_REQUIRE_BACKEND(GetParam());
    auto real = testing::OpenTestDb(GetParam());
    ASSERT_TRUE(real) << real.error().internal_detail;
    db_ = std::make_unique<FaultyDb>(std::move(*real));
    ASSERT_TRUE(db_->Write([](Tx& tx) {
      return tx.ExecuteScript(
          ExpandDialect("CREATE TABLE loans (id {{id}}, name TEXT NOT NULL UNIQUE);"
                        "CREATE TABLE trail (id {{id}}, what TEXT NOT NULL)",
                        tx.dialect()));
    }));
  }

  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(Rows rows, tx.Query(sql));
      for (const Row& row : rows) out.push_back(row.Text(0));
      return Ok();
    }));
    return out;
  }
  std::vector<std::string> Loans() { return Column("SELECT name FROM loans ORDER BY id"); }
  std::vector<std::string> Trail() { return Column("SELECT what FROM trail ORDER BY id"); }

  static Status AddLoan(UnitOfWork& unit, const std::string& name) {
    RETURN_IF_ERROR(unit.tx().Insert("INSERT INTO loans (name) VALUES (?)", {name}));
    RETURN_IF_ERROR(unit.tx().Insert("INSERT INTO trail (what) VALUES (?)", {"added " + name}));
    return Ok();
  }

  std::unique_ptr<FaultyDb> db_;
};

TEST_P(UnitOfWorkTest, EveryStepOfEveryServiceCommitsTogether) {
  ASSERT_TRUE(UnitOfWork::Run(*db_, [](UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(AddLoan(unit, "甲"));
    return AddLoan(unit, "乙");
  }));
  EXPECT_EQ(Loans(), (std::vector<std::string>{"甲", "乙"}));
  EXPECT_EQ(Trail(), (std::vector<std::string>{"added 甲", "added 乙"}));
}

TEST_P(UnitOfWorkTest, AFailureBetweenTwoStepsLeavesNeither) {
  db_->FailNextStatement("INSERT INTO trail");
  Status outcome = UnitOfWork::Run(*db_, [](UnitOfWork& unit) { return AddLoan(unit, "甲"); });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(db_->armed());
  EXPECT_TRUE(Loans().empty());
  EXPECT_TRUE(Trail().empty());

  // Nothing half-done blocks the retry.
  ASSERT_TRUE(UnitOfWork::Run(*db_, [](UnitOfWork& unit) { return AddLoan(unit, "甲"); }));
  EXPECT_EQ(Loans(), (std::vector<std::string>{"甲"}));
}

TEST_P(UnitOfWorkTest, ARefusalRollsBackItsWorkButKeepsWhatItRecordsRegardless) {
  Status outcome = UnitOfWork::Run(*db_, [](UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(AddLoan(unit, "甲"));
    unit.Regardless([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Insert("INSERT INTO trail (what) VALUES ('refused 乙')"));
      return Ok();
    });
    return MakeError(ErrorCode::kPermissionDenied, {"无权限", "Not allowed"});
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Loans().empty());
  EXPECT_EQ(Trail(), (std::vector<std::string>{"refused 乙"}));
}

TEST_P(UnitOfWorkTest, WhatIsKeptRegardlessIsWrittenOnceWhenTheUnitCommits) {
  ASSERT_TRUE(UnitOfWork::Run(*db_, [](UnitOfWork& unit) -> Status {
    unit.Regardless([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Insert("INSERT INTO trail (what) VALUES ('looked up')"));
      return Ok();
    });
    return AddLoan(unit, "甲");
  }));
  EXPECT_EQ(Trail(), (std::vector<std::string>{"added 甲", "looked up"}));
}

TEST_P(UnitOfWorkTest, AKeptRecordThatCannotBeWrittenIsReportedInsteadOfTheRefusal) {
  Status outcome = UnitOfWork::Run(*db_, [&](UnitOfWork& unit) -> Status {
    unit.Regardless([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Insert("INSERT INTO trail (what) VALUES ('refused')"));
      return Ok();
    });
    db_->FailNextStatement("INSERT INTO trail");
    return MakeError(ErrorCode::kPermissionDenied, {"无权限", "Not allowed"});
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Trail().empty());
}

TEST_P(UnitOfWorkTest, RunValueHandsBackTheResultOfACommittedUnit) {
  auto id = UnitOfWork::RunValue<int64_t>(*db_, [](UnitOfWork& unit) {
    return unit.tx().Insert("INSERT INTO loans (name) VALUES ('甲')");
  });
  ASSERT_TRUE(id) << id.error().internal_detail;
  EXPECT_GT(*id, 0);
}

// What follows a commit sees the committed state, from a transaction of its own: inside the
// unit's, the read would be a nested transaction, which SQLite aborts on.
TEST_P(UnitOfWorkTest, WhatFollowsTheCommitRunsOnceItIsDone) {
  std::vector<std::vector<std::string>> seen;
  ASSERT_TRUE(UnitOfWork::Run(*db_, [&](UnitOfWork& unit) -> Status {
    unit.AfterCommit([&] { seen.push_back(Loans()); });
    RETURN_IF_ERROR(AddLoan(unit, "甲"));
    EXPECT_TRUE(seen.empty()) << "not before the unit is done";
    unit.AfterCommit([&] { seen.push_back({"second"}); });
    return Ok();
  }));
  EXPECT_EQ(seen, (std::vector<std::vector<std::string>>{{"甲"}, {"second"}}));
}

TEST_P(UnitOfWorkTest, WhatFollowsTheCommitNeverRunsAfterARollback) {
  int ran = 0;
  Status outcome = UnitOfWork::Run(*db_, [&](UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(AddLoan(unit, "甲"));
    unit.AfterCommit([&] { ++ran; });
    unit.Regardless([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Insert("INSERT INTO trail (what) VALUES ('refused')"));
      return Ok();
    });
    return MakeError(ErrorCode::kPermissionDenied, {"无权限", "Not allowed"});
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ran, 0) << "the kept record committed, the unit did not";
  EXPECT_EQ(Trail(), (std::vector<std::string>{"refused"}));
}

// The work itself succeeded, but the unit could not finish: nothing it changed is there to follow.
TEST_P(UnitOfWorkTest, WhatFollowsTheCommitNeverRunsWhenTheUnitFailsToFinish) {
  int ran = 0;
  Status outcome = UnitOfWork::Run(*db_, [&](UnitOfWork& unit) -> Status {
    unit.AfterCommit([&] { ++ran; });
    unit.Regardless([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Insert("INSERT INTO trail (what) VALUES ('looked up')"));
      return Ok();
    });
    db_->FailNextStatement("INSERT INTO trail");
    RETURN_IF_ERROR(unit.tx().Insert("INSERT INTO loans (name) VALUES ('甲')"));
    return Ok();
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ran, 0);
  EXPECT_TRUE(Loans().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, UnitOfWorkTest, ::testing::ValuesIn(AllBackends()),
                         BackendTestName);

}  // namespace
}  // namespace oc::storage
