#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/digest.h"
#include "crypto/testing/test_keys.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::audit {
namespace {

using storage::testing::Backend;

class AuditLogTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = storage::testing::OpenTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    auto migrations = Migrations();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, migrations));
  }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
        return log_.Append(tx, actor_,
                           Event{.action = Action::kUserUpdate,
                                 .entity_type = "user",
                                 .entity_id = std::to_string(i),
                                 .changes = {{"display_name", "old", "new"}}});
      }));
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  FakeClock clock_{FromUnixMicros(1'700'000'000'000'000)};
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  AuditLog log_{clock_, keys_};
  Actor actor_{.user_id = 7, .username = "admin", .request_id = "req-1", .client_ip = "127.0.0.1"};
  std::unique_ptr<storage::Db> db_;
};

TEST_P(AuditLogTest, AppendedEntriesFormAnIntactChain) {
  AppendN(5);
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries_checked, 5);
  EXPECT_EQ(report->head_hash.size(), 64u);
}

TEST_P(AuditLogTest, EntryIsRolledBackWithItsTransaction) {
  auto status = db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(log_.Append(tx, actor_, Event{.action = Action::kUserCreate}));
    return MakeError(ErrorCode::kAborted, {"冲突", "conflict"});
  });
  EXPECT_FALSE(status);
  auto entries = log_.List(*db_, Filter{});
  ASSERT_TRUE(entries);
  EXPECT_TRUE(entries->empty());
  AppendN(1);
  EXPECT_TRUE(log_.Verify(*db_)->intact);
}

TEST_P(AuditLogTest, EditedRowIsNamedAsTheFirstBrokenEntry) {
  AppendN(6);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE audit_events SET username = 'mallory' WHERE id = 4"));
    return Ok();
  }));
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 4);
}

TEST_P(AuditLogTest, DeletedMiddleRowIsDetected) {
  AppendN(6);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM audit_events WHERE id = 3"));
    return Ok();
  }));
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 3);
}

TEST_P(AuditLogTest, DeletedNewestRowIsDetectedThroughTheHead) {
  AppendN(4);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM audit_events WHERE id = 4"));
    return Ok();
  }));
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 4);
}

TEST_P(AuditLogTest, EditedEntityIdOrRelabelledHashRuleIsDetected) {
  AppendN(5);
  for (const char* tamper : {"UPDATE audit_events SET entity_id = '99' WHERE id = 2",
                             "UPDATE audit_events SET hash_version = 9 WHERE id = 3",
                             "UPDATE audit_events SET hash_key_id = 2 WHERE id = 4"}) {
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Execute(tamper));
      return Ok();
    }));
  }
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 2);
  EXPECT_EQ(report->problem, "content does not match its hash (the entry was modified)");

  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE audit_events SET entity_id = '1' WHERE id = 2"));
    return Ok();
  }));
  report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 3);
  EXPECT_NE(report->problem.find("unknown hash version 9"), std::string::npos) << report->problem;

  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE audit_events SET hash_version = 3 WHERE id = 3"));
    return Ok();
  }));
  report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_NE(report->problem.find("master key 2, which is not configured"), std::string::npos)
      << report->problem;
}

// The canonical text of one field, as every hashing rule writes it.
std::string Field(std::string_view value) {
  return std::to_string(value.size()) + ":" + std::string(value) + ";";
}

// What someone who can write the database but not read the key can do: rewrite entries and
// recompute their hashes by the published unkeyed rule 2, from `from` to the newest, head
// included.
void RechainWithoutTheKey(storage::Db& db, int64_t from) {
  ASSERT_TRUE(db.Write([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, at_us, user_id, username, action, "
                                         "entity_type, entity_id, changes, detail, request_id, "
                                         "client_ip, prev_hash FROM audit_events WHERE id >= ? "
                                         "ORDER BY id",
                                         {from}));
    std::string prev = rows.at(0).Text("prev_hash");
    int64_t last_id = 0;
    for (const auto& row : rows) {
      const std::string content =
          Field(row.OptInt("user_id") ? std::to_string(*row.OptInt("user_id")) : "") +
          Field(row.Text("username")) + Field(row.Text("action")) + Field(row.Text("entity_type")) +
          Field(row.Text("changes")) + Field(row.Text("detail")) + Field(row.Text("request_id")) +
          Field(row.Text("client_ip"));
      const std::string hash =
          crypto::Sha256Hex(Field("2") + Field(prev) + Field(std::to_string(row.Int("id"))) +
                            Field(std::to_string(row.Int("at_us"))) + Field(row.Text("entity_id")) +
                            Field(crypto::Sha256(content)));
      RETURN_IF_ERROR(
          tx.Execute("UPDATE audit_events SET prev_hash = ?, hash = ?, "
                     "hash_version = 2, hash_key_id = NULL WHERE id = ?",
                     {prev, hash, row.Int("id")}));
      prev = hash;
      last_id = row.Int("id");
    }
    RETURN_IF_ERROR(
        tx.Execute("UPDATE audit_head SET last_id = ?, last_hash = ?", {last_id, prev}));
    return Ok();
  }));
}

// Someone with write access to the database file rewrites who did something and recomputes
// the chain after it by the unkeyed rule: the entry they changed is named, because an unkeyed
// entry cannot follow keyed ones.
TEST_P(AuditLogTest, AnEntryRewrittenAndRechainedWithoutTheKeyIsCaught) {
  AppendN(6);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE audit_events SET username = 'mallory' WHERE id = 4"));
    return Ok();
  }));
  RechainWithoutTheKey(*db_, 4);
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_NE(report->problem.find("without the key"), std::string::npos) << report->problem;
}

// Rewriting the whole trail by the unkeyed rule leaves a chain with no keyed entry at its head,
// which no server of this version writes.
TEST_P(AuditLogTest, AWholeTrailRechainedWithoutTheKeyIsCaught) {
  AppendN(4);
  RechainWithoutTheKey(*db_, 1);
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_NE(report->problem.find("the newest entry is not keyed"), std::string::npos)
      << report->problem;
}

// A key the attacker made up gives a seal that the deployment's key does not reproduce.
TEST_P(AuditLogTest, AnEntrySealedUnderAnotherKeyIsCaught) {
  AppendN(3);
  auto forged_keys = crypto::MacKeyring::Derive(crypto::CipherSuite::kAes256Gcm,
                                                {{1, std::string(crypto::kFieldKeySize, 'm')}}, 1,
                                                crypto::MacKeyring::kAuditChain);
  ASSERT_TRUE(forged_keys);
  AuditLog forger(clock_, *forged_keys);
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return forger.Append(tx, actor_, Event{.action = Action::kUserDelete, .entity_type = "user"});
  }));
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_EQ(report->problem, "content does not match its hash (the entry was modified)");
}

// After a rotation the new key seals and the old one still verifies what it sealed; without the
// old key the check says which key it needs.
TEST_P(AuditLogTest, EntriesSealedBeforeAKeyRotationKeepVerifying) {
  AppendN(2);
  auto rotated = crypto::MacKeyring::Derive(
      crypto::CipherSuite::kAes256Gcm,
      {{2, std::string(crypto::kFieldKeySize, 'n')}, {1, std::string(crypto::kFieldKeySize, 't')}},
      2, crypto::MacKeyring::kAuditChain);
  ASSERT_TRUE(rotated);
  AuditLog after(clock_, *rotated);
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return after.Append(tx, actor_, Event{.action = Action::kUserUpdate, .entity_type = "user"});
  }));
  auto report = after.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries_checked, 3);

  auto new_only = crypto::MacKeyring::Derive(crypto::CipherSuite::kAes256Gcm,
                                             {{2, std::string(crypto::kFieldKeySize, 'n')}}, 2,
                                             crypto::MacKeyring::kAuditChain);
  AuditLog forgetful(clock_, *new_only);
  report = forgetful.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 1);
  EXPECT_NE(report->problem.find("master key 1"), std::string::npos) << report->problem;
}

// Entries written before audit_0002 were hashed over all their fields at once (rule 1), and
// before audit_0003 without a key (rules 1 and 2). A database upgraded with such a trail keeps
// verifying: the upgrade seals it under the key at once, and new entries chain onto it.
TEST_P(AuditLogTest, ATrailWrittenByTheUnkeyedRulesStillVerifiesAfterTheUpgrade) {
  auto opened = storage::testing::OpenTestDb(GetParam());
  ASSERT_TRUE(opened) << opened.error().internal_detail;
  storage::Db& db = **opened;
  auto migrations = Migrations();
  ASSERT_EQ(migrations.at(1).id, "audit_0002_hash_version");
  ASSERT_EQ(migrations.at(2).id, kKeyedChainMigration);
  ASSERT_TRUE(storage::ApplyMigrations(db, std::span(migrations).first(1)));

  std::string prev(64, '0');
  for (int64_t id : {1, 2}) {
    const int64_t at = 1'600'000'000'000'000 + id;
    const std::string changes = R"([{"field":"name","before":null,"after":"王伟"}])";
    const std::string hash = crypto::Sha256Hex(
        Field(prev) + Field(std::to_string(id)) + Field(std::to_string(at)) + Field("7") +
        Field("admin") + Field("customer.create") + Field("customer") + Field(std::to_string(id)) +
        Field(changes) + Field("") + Field("req-old") + Field("10.0.0.1"));
    ASSERT_TRUE(db.Write([&](storage::Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Execute(
          "INSERT INTO audit_events (id, at_us, user_id, username, action, entity_type, "
          "entity_id, changes, detail, request_id, client_ip, prev_hash, hash) VALUES "
          "(?, ?, 7, 'admin', 'customer.create', 'customer', ?, ?, '', 'req-old', '10.0.0.1', "
          "?, ?)",
          {id, at, std::to_string(id), changes, prev, hash}));
      RETURN_IF_ERROR(tx.Execute("UPDATE audit_head SET last_id = ?, last_hash = ?",
                                 {id, hash}));
      return Ok();
    }));
    prev = hash;
  }
  auto applied = storage::ApplyMigrations(db, migrations);
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, (std::vector<std::string>{"audit_0002_hash_version",
                                                std::string(kKeyedChainMigration)}));
  // The second entry as the previous version wrote entries: by rule 2.
  RechainWithoutTheKey(db, 2);
  ASSERT_TRUE(log_.SealUpgradedChain(db));
  ASSERT_TRUE(db.Write([&](storage::Tx& tx) {
    return log_.Append(tx, actor_,
                       Event{.action = Action::kCustomerUpdate,
                             .entity_type = "customer",
                             .entity_id = "1",
                             .changes = {{"name", "王伟", "王薇"}}});
  }));
  auto report = log_.Verify(db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries_checked, 4);
  auto entries = log_.List(db, Filter{});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].hash_version, 3);
  EXPECT_EQ((*entries)[1].action, "audit.chain_keyed");
  EXPECT_EQ((*entries)[1].hash_version, 3);
  EXPECT_EQ((*entries)[2].hash_version, 2);
  EXPECT_EQ((*entries)[3].hash_version, 1);
  // Sealing again is nothing to do.
  ASSERT_TRUE(log_.SealUpgradedChain(db));
  EXPECT_EQ(log_.List(db, Filter{})->size(), 4u);

  // The old entries are still tamper-evident under their rule, and now anchored by the key: a
  // rechain without it is caught too.
  ASSERT_TRUE(db.Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE audit_events SET client_ip = '10.0.0.2' WHERE id = 2"));
    return Ok();
  }));
  report = log_.Verify(db);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 2);
  RechainWithoutTheKey(db, 2);
  report = log_.Verify(db);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_NE(report->problem.find("the newest entry is not keyed"), std::string::npos)
      << report->problem;
}

TEST_P(AuditLogTest, SecretsAreWithheld) {
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return log_.Append(
        tx, actor_,
        Event{.action = Action::kUserPasswordReset,
              .entity_type = "user",
              .entity_id = "1",
              .changes = {{"password", std::nullopt, "hunter2hunter2", Sensitivity::kSecret}}});
  }));
  auto entries = log_.List(*db_, Filter{});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  const std::string& changes = (*entries)[0].changes_json;
  EXPECT_EQ(changes.find("hunter2"), std::string::npos);
  EXPECT_NE(changes.find("******"), std::string::npos);
}

TEST_P(AuditLogTest, ChangesAreAJsonArrayOfFieldBeforeAfter) {
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return log_.Append(tx, actor_,
                       Event{.action = Action::kCustomerUpdate,
                             .entity_type = "customer",
                             .entity_id = "1",
                             .changes = {{"remarks", std::nullopt, "说\"明\"\n第二行\\"},
                                         {"status", "active", std::nullopt}}});
  }));
  auto entries = log_.List(*db_, Filter{});
  ASSERT_TRUE(entries);
  boost::json::value parsed = boost::json::parse((*entries)[0].changes_json);
  EXPECT_EQ(parsed, boost::json::parse(R"([{"field":"remarks","before":null,"after":"说\"明\"\n第二行\\"},
                                            {"field":"status","before":"active","after":null}])"));
}

TEST_P(AuditLogTest, ChangedTextIsEscapedExactlyAsAJsonSerializerWouldWriteIt) {
  std::string text = "引号\"反斜杠\\斜杠/删除\x7f";
  for (char c = 1; c < 0x20; ++c) text += c;
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return log_.Append(tx, actor_,
                       Event{.action = Action::kCustomerUpdate,
                             .entity_type = "customer",
                             .entity_id = "1",
                             .changes = {{"remarks", text, "x"}}});
  }));
  auto entries = log_.List(*db_, Filter{});
  ASSERT_TRUE(entries);
  EXPECT_EQ((*entries)[0].changes_json,
            "[{\"field\":\"remarks\",\"before\":" +
                boost::json::serialize(boost::json::string(text)) + ",\"after\":\"x\"}]");
}

TEST_P(AuditLogTest, PreparedEntriesAreChainedInOrderInOneAppend) {
  AppendN(2);
  std::vector<Entry> batch;
  for (const char* id : {"7", "8", "9"}) {
    batch.push_back(log_.Prepare(actor_, Event{.action = Action::kCustomerCreate,
                                               .entity_type = "customer",
                                               .changes = {{"name", std::nullopt, "王伟"}}}));
    batch.back().entity_id = id;
  }
  std::vector<Entry*> linked = {&batch[0], &batch[1], &batch[2]};
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) { return log_.AppendPrepared(tx, linked); }));
  EXPECT_EQ(batch[0].id, 3);
  EXPECT_EQ(batch[2].id, 5);
  EXPECT_EQ(batch[1].prev_hash, batch[0].hash);
  auto entries = log_.List(*db_, Filter{.action = "customer.create"});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].entity_id, "9");
  auto report = log_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries_checked, 5);
}

TEST_P(AuditLogTest, ListFiltersByUserEntityActionPrefixAndTime) {
  AppendN(3);
  Actor other{.user_id = 9, .username = "risk"};
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return log_.Append(
        tx, other, Event{.action = Action::kAuthLogin, .entity_type = "user", .entity_id = "9"});
  }));
  auto by_user = log_.List(*db_, Filter{.user_id = 9});
  ASSERT_TRUE(by_user);
  ASSERT_EQ(by_user->size(), 1u);
  EXPECT_EQ((*by_user)[0].action, "auth.login");

  auto by_prefix = log_.List(*db_, Filter{.action = "auth."});
  ASSERT_EQ(by_prefix->size(), 1u);
  auto by_entity = log_.List(*db_, Filter{.entity_type = "user", .entity_id = "1"});
  ASSERT_EQ(by_entity->size(), 1u);

  auto since = log_.List(*db_, Filter{.from = clock_.Now() - std::chrono::seconds(2)});
  EXPECT_EQ(since->size(), 3u);  // t0+1, t0+2 and the login at t0+3

  auto page = log_.List(*db_, Filter{.limit = 2});
  ASSERT_EQ(page->size(), 2u);
  EXPECT_GT((*page)[0].id, (*page)[1].id);
  auto next = log_.List(*db_, Filter{.before_id = (*page)[1].id, .limit = 2});
  ASSERT_EQ(next->size(), 2u);
  EXPECT_LT((*next)[0].id, (*page)[1].id);
}

TEST_P(AuditLogTest, ListRejectsAnOutOfRangeLimit) {
  auto r = log_.List(*db_, Filter{.limit = 0});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field_violations.at(0).field, "limit");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         [](const auto& info) { return storage::testing::BackendName(info.param); });

}  // namespace
}  // namespace oc::audit
