// The definitions registry: the version life cycle, immutability, pins, rollback, diffs, the
// audit and event of each change, hostile input, and concurrent administrators. Runs on SQLite
// and on PostgreSQL.

#include "runtime/definitions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

namespace json = boost::json;
using storage::testing::Backend;
using ::testing::ElementsAre;

std::vector<std::string> ViolationCodes(const Error& error) {
  std::vector<std::string> out;
  for (const FieldViolation& v : error.field_violations) out.push_back(v.field + ":" + v.code);
  return out;
}

TEST(DefinitionKindTest, NamesRoundTrip) {
  for (DefinitionKind kind : AllDefinitionKinds()) {
    EXPECT_EQ(DefinitionKindFromName(DefinitionKindName(kind)), kind);
  }
  EXPECT_EQ(AllDefinitionKinds().size(), 6u);
  EXPECT_EQ(DefinitionKindFromName("process"), DefinitionKind::kProcess);
  EXPECT_FALSE(DefinitionKindFromName("Process"));
  EXPECT_FALSE(DefinitionKindFromName(""));
}

TEST(CanonicalJsonTest, SortsMembersAtEveryLevelAndReadsBackToItself) {
  json::value v = json::parse(R"({"b": [3, {"z": 1, "a": null}], "a": "\u00e9\n", "c": 1.5})");
  const std::string canonical = CanonicalJson(v);
  EXPECT_EQ(canonical, "{\"a\":\"é\\n\",\"b\":[3,{\"a\":null,\"z\":1}],\"c\":1.5E0}");
  EXPECT_EQ(CanonicalJson(json::parse(canonical)), canonical);
  EXPECT_EQ(ContentHash(canonical).size(), 64u);
  EXPECT_EQ(
      ContentHash(CanonicalJson(json::parse(R"({"c":1.5,"a":"é\n","b":[3,{"z":1,"a":null}]})"))),
      ContentHash(canonical));
}

TEST(JsonDiffTest, ListsAddedRemovedAndChangedPathsWithOldAndNewValues) {
  json::value from = json::parse(R"({"name": "A", "steps": [1, 2, 3], "gone": true,
                                     "a/b": {"x~": 1}})");
  json::value to = json::parse(R"({"name": "B", "steps": [1, 5], "new": {"k": []},
                                   "a/b": {"x~": 2}})");
  EXPECT_EQ(json::serialize(JsonDiff(from, to)),
            R"([{"op":"replace","path":"/a~1b/x~0","old":1,"value":2},)"
            R"({"op":"remove","path":"/gone","old":true},)"
            R"({"op":"replace","path":"/name","old":"A","value":"B"},)"
            R"({"op":"add","path":"/new","value":{"k":[]}},)"
            R"({"op":"replace","path":"/steps/1","old":2,"value":5},)"
            R"({"op":"remove","path":"/steps/2","old":3}])");
  EXPECT_TRUE(JsonDiff(from, from).empty());
  EXPECT_EQ(json::serialize(JsonDiff(json::parse("[1]"), json::parse("[1,2,3]"))),
            R"([{"op":"add","path":"/1","value":2},{"op":"add","path":"/2","value":3}])");
  EXPECT_EQ(json::serialize(JsonDiff(json::parse("[1,2,3]"), json::parse("[1]"))),
            R"([{"op":"remove","path":"/2","old":3},{"op":"remove","path":"/1","old":2}])");
}

class DefinitionRegistryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
    registry_ = std::make_unique<DefinitionRegistry>(*db_, clock_, audit_, events_);
  }

  int64_t Count(const std::string& sql) {
    auto n = db_->ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    return n ? *n : -1;
  }

  DefinitionVersion Draft(std::string_view key, json::object content,
                          std::optional<int64_t> based_on = std::nullopt) {
    auto draft = registry_->CreateDraft(actor_, kProcess, key, content, based_on);
    EXPECT_TRUE(draft) << draft.error().message.en_us << draft.error().internal_detail;
    return draft ? *draft : DefinitionVersion{};
  }

  DefinitionVersion Published(std::string_view key, json::object content) {
    DefinitionVersion draft = Draft(key, std::move(content));
    auto published =
        registry_->Publish(actor_, {kProcess, std::string(key), draft.version}, "首次发布");
    EXPECT_TRUE(published) << published.error().message.en_us;
    return published ? *published : DefinitionVersion{};
  }

  static constexpr DefinitionKind kProcess = DefinitionKind::kProcess;
  FakeClock clock_{FromUnixMicros(1'760'000'000'000'000)};
  crypto::MacKeyring audit_keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, audit_keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  audit::Actor actor_{.user_id = 1, .username = "admin", .request_id = "req-1"};
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<DefinitionRegistry> registry_;
};

TEST_P(DefinitionRegistryTest, PublishingADraftMakesItCurrentAuditedWithItsNoteAndAnEvent) {
  DefinitionVersion draft = Draft("loan_approval", {{"nodes", json::array{"start"}}});
  EXPECT_EQ(draft.version, 1);
  EXPECT_EQ(draft.status, VersionStatus::kDraft);
  EXPECT_FALSE(draft.parent_version);
  EXPECT_FALSE(draft.current);
  EXPECT_EQ(draft.content_hash, ContentHash(R"({"nodes":["start"]})"));
  auto no_current = registry_->GetCurrent(kProcess, "loan_approval");
  ASSERT_FALSE(no_current);
  EXPECT_EQ(no_current.error().code, ErrorCode::kFailedPrecondition);

  clock_.Advance(std::chrono::seconds(5));
  auto published = registry_->Publish(actor_, {kProcess, "loan_approval", 1}, "上线贷款审批流程");
  ASSERT_TRUE(published) << published.error().message.en_us;
  EXPECT_EQ(published->status, VersionStatus::kPublished);
  EXPECT_TRUE(published->current);
  EXPECT_EQ(published->published_by, "admin");
  EXPECT_EQ(published->published_at, clock_.Now());
  EXPECT_EQ(published->change_note, "上线贷款审批流程");
  EXPECT_EQ(published->content_hash, draft.content_hash);

  auto current = registry_->GetCurrent(kProcess, "loan_approval");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'definition.publish' AND "
                  "entity_id = 'process/loan_approval' AND detail = '上线贷款审批流程'"),
            1);
  auto events = events_.List(*db_, {.type = "definition.published"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  const StoredEvent& e = events->front();
  EXPECT_EQ(e.stream_type, "definition");
  EXPECT_EQ(e.stream_id, "process/loan_approval");
  EXPECT_EQ(e.actor_name, "admin");
  EXPECT_EQ(e.payload.at("version").as_int64(), 1);
  EXPECT_EQ(e.payload.at("content_hash").as_string(), draft.content_hash);
  EXPECT_EQ(e.payload.at("change_note").as_string(), "上线贷款审批流程");
  EXPECT_TRUE(e.payload.at("previous_current_version").is_null());
}

TEST_P(DefinitionRegistryTest, APublishedVersionRefusesEveryChangeEvenFromTheServiceDirectly) {
  DefinitionVersion v1 = Published("loan_approval", {{"limit", 100}});
  auto edited =
      registry_->UpdateDraft(actor_, {kProcess, "loan_approval", 1}, v1.revision, {{"limit", 999}});
  ASSERT_FALSE(edited);
  EXPECT_EQ(edited.error().code, ErrorCode::kFailedPrecondition);
  auto again = registry_->Publish(actor_, {kProcess, "loan_approval", 1}, "再次发布");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAborted);

  auto stored = registry_->GetVersion({kProcess, "loan_approval", 1});
  ASSERT_TRUE(stored);
  EXPECT_EQ(json::serialize(stored->content), R"({"limit":100})");
  EXPECT_EQ(stored->content_hash, v1.content_hash);
  EXPECT_EQ(stored->published_at, v1.published_at);
  EXPECT_EQ(stored->change_note, "首次发布");
}

TEST_P(DefinitionRegistryTest, EditingAPublishedDefinitionCreatesTheNextDraftBasedOnIt) {
  Published("loan_approval", {{"limit", 100}});
  DefinitionVersion draft = Draft("loan_approval", {{"limit", 200}});
  EXPECT_EQ(draft.version, 2);
  EXPECT_EQ(draft.parent_version, 1);
  auto list = registry_->List(kProcess);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().current_version, 1);
  EXPECT_EQ(list->front().draft_version, 2);
  EXPECT_EQ(list->front().latest_version, 2);

  auto saved = registry_->UpdateDraft(actor_, {kProcess, "loan_approval", 2}, draft.revision,
                                      {{"limit", 300}});
  ASSERT_TRUE(saved) << saved.error().message.en_us;
  EXPECT_NE(saved->revision, draft.revision);
  EXPECT_EQ(saved->content_hash, ContentHash(R"({"limit":300})"));
  EXPECT_EQ(registry_->GetCurrent(kProcess, "loan_approval")->version, 1)
      << "saving a draft changes nothing that runs";
}

TEST_P(DefinitionRegistryTest, AKeyHasAtMostOneDraft) {
  Draft("loan_approval", {{"limit", 1}});
  auto second = registry_->CreateDraft(actor_, kProcess, "loan_approval", {{"limit", 2}}, {});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(std::get<int64_t>(second.error().extensions.at("draft_version")), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM definition_versions"), 1);
}

TEST_P(DefinitionRegistryTest, ADraftSavedSinceTheCallerReadItIsAConflict) {
  DefinitionVersion draft = Draft("loan_approval", {{"limit", 1}});
  ASSERT_TRUE(registry_->UpdateDraft(actor_, {kProcess, "loan_approval", 1}, draft.revision,
                                     {{"limit", 2}}));
  auto stale = registry_->UpdateDraft(actor_, {kProcess, "loan_approval", 1}, draft.revision,
                                      {{"limit", 3}});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  EXPECT_EQ(json::serialize(registry_->GetVersion({kProcess, "loan_approval", 1})->content),
            R"({"limit":2})");
}

TEST_P(DefinitionRegistryTest, APinReloadsItsVersionAndFailsLoudlyWhenTheHashDoesNotMatch) {
  DefinitionVersion v1 = Published("loan_approval", {{"limit", 100}});
  const Pin pin = v1.pin();
  auto pinned = registry_->GetPinned(pin);
  ASSERT_TRUE(pinned);
  EXPECT_EQ(json::serialize(pinned->content), R"({"limit":100})");

  auto wrong = registry_->GetPinned(kProcess, "loan_approval", 1, std::string(64, '0'));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInternal);
  EXPECT_THAT(wrong.error().internal_detail, ::testing::HasSubstr(std::string(64, '0')));

  // Content edited behind the registry's back no longer matches what was pinned.
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE definition_versions SET content = '{\"limit\":1}'"));
    return Ok();
  }));
  auto tampered = registry_->GetPinned(pin);
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::kInternal);

  DefinitionVersion draft = Draft("loan_approval", {{"limit", 5}});
  auto of_draft = registry_->GetPinned(draft.pin());
  ASSERT_FALSE(of_draft);
  EXPECT_EQ(of_draft.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(DefinitionRegistryTest, RollbackRepublishesAnOldVersionsContentAsANewVersion) {
  DefinitionVersion v1 = Published("loan_approval", {{"limit", 100}});
  DefinitionVersion d2 = Draft("loan_approval", {{"limit", 200}});
  ASSERT_TRUE(registry_->Publish(actor_, {kProcess, "loan_approval", 2}, "调高额度"));

  auto restored = registry_->Rollback(actor_, {kProcess, "loan_approval", 1}, "额度调整有误，回滚");
  ASSERT_TRUE(restored) << restored.error().message.en_us;
  EXPECT_EQ(restored->version, 3);
  EXPECT_EQ(restored->status, VersionStatus::kPublished);
  EXPECT_TRUE(restored->current);
  EXPECT_EQ(restored->rolled_back_from, 1);
  EXPECT_EQ(restored->parent_version, 2);
  EXPECT_EQ(restored->content_hash, v1.content_hash);
  EXPECT_EQ(restored->change_note, "额度调整有误，回滚");

  auto versions = registry_->ListVersions(kProcess, "loan_approval");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[1].content_hash, d2.content_hash) << "history is never rewritten";
  EXPECT_EQ((*versions)[1].status, VersionStatus::kPublished);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'definition.rollback'"), 1);
  auto events = events_.List(*db_, {.type = "definition.published"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->back().payload.at("rolled_back_from").as_int64(), 1);
  EXPECT_EQ(events->back().payload.at("previous_current_version").as_int64(), 2);

  auto to_current = registry_->Rollback(actor_, {kProcess, "loan_approval", 3}, "再回滚");
  ASSERT_FALSE(to_current);
  EXPECT_EQ(to_current.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(DefinitionRegistryTest, RetiringTheCurrentVersionLeavesNothingToStartButPinsStillLoad) {
  DefinitionVersion v1 = Published("loan_approval", {{"limit", 100}});
  auto retired = registry_->Retire(actor_, {kProcess, "loan_approval", 1}, "流程停用");
  ASSERT_TRUE(retired) << retired.error().message.en_us;
  EXPECT_EQ(retired->status, VersionStatus::kRetired);
  EXPECT_EQ(retired->retire_note, "流程停用");
  EXPECT_FALSE(retired->current);
  auto current = registry_->GetCurrent(kProcess, "loan_approval");
  ASSERT_FALSE(current);
  EXPECT_EQ(current.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(registry_->GetPinned(v1.pin())) << "what already runs on it keeps running";
  auto twice = registry_->Retire(actor_, {kProcess, "loan_approval", 1}, "流程停用");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
  auto events = events_.List(*db_, {.type = "definition.retired"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(events->front().payload.at("current_version").is_null());

  auto back = registry_->Rollback(actor_, {kProcess, "loan_approval", 1}, "恢复流程");
  ASSERT_TRUE(back);
  EXPECT_EQ(registry_->GetCurrent(kProcess, "loan_approval")->version, 2);
}

TEST_P(DefinitionRegistryTest, PublishRetireAndRollbackNeedAChangeNoteOfTwoTo500Characters) {
  Draft("loan_approval", {{"limit", 1}});
  const VersionRef ref{kProcess, "loan_approval", 1};
  for (auto [note, code] : {std::pair<std::string, std::string>{"", "required"},
                            {"  \n ", "required"},
                            {"改", "too_short"},
                            {std::string(501 * 3, 'x').substr(0, 501), "too_long"},
                            {"发布\x01", "control_character"}}) {
    auto published = registry_->Publish(actor_, ref, note);
    ASSERT_FALSE(published) << note;
    EXPECT_THAT(ViolationCodes(published.error()), ElementsAre("change_note:" + code)) << note;
  }
  EXPECT_TRUE(registry_->Publish(actor_, ref, std::string(500, 'x')));
  auto retire = registry_->Retire(actor_, ref, "");
  ASSERT_FALSE(retire);
  EXPECT_THAT(ViolationCodes(retire.error()), ElementsAre("change_note:required"));
  auto rollback = registry_->Rollback(actor_, ref, "x");
  ASSERT_FALSE(rollback);
  EXPECT_THAT(ViolationCodes(rollback.error()), ElementsAre("change_note:too_short"));
}

TEST_P(DefinitionRegistryTest, PublishingRunsTheKindsValidatorAndRefusesWithItsFieldErrors) {
  registry_->SetValidator(kProcess, [](const json::object& content) {
    std::vector<FieldViolation> out;
    if (!content.contains("nodes")) {
      out.push_back({"nodes", "required", {"流程须有节点", "A process needs nodes"}});
    }
    return out;
  });
  Draft("loan_approval", {{"name", "未完成"}});
  auto published = registry_->Publish(actor_, {kProcess, "loan_approval", 1}, "上线");
  ASSERT_FALSE(published);
  EXPECT_EQ(published.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(ViolationCodes(published.error()), ElementsAre("content.nodes:required"));
  EXPECT_EQ(registry_->GetVersion({kProcess, "loan_approval", 1})->status, VersionStatus::kDraft);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events WHERE type = 'definition.published'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'definition.publish'"), 0);

  // Other kinds have no validator: any object within the limits publishes.
  auto dashboard = registry_->CreateDraft(actor_, DefinitionKind::kDashboard, "loan_approval",
                                          {{"name", "看板"}}, {});
  ASSERT_TRUE(dashboard);
  EXPECT_TRUE(registry_->Publish(actor_, {DefinitionKind::kDashboard, "loan_approval", 1}, "上线"));
}

TEST_P(DefinitionRegistryTest, HostileContentAndKeysAreRefusedByFieldAndChangeNothing) {
  json::object huge{{"blob", std::string(kMaxContentBytes, 'a')}};
  auto too_large = registry_->CreateDraft(actor_, kProcess, "big", huge, {});
  ASSERT_FALSE(too_large);
  EXPECT_THAT(ViolationCodes(too_large.error()), ElementsAre("content:too_large"));

  json::value deep = json::object{};
  for (int i = 0; i < kMaxContentDepth + 5; ++i) deep = json::object{{"x", deep}};
  auto too_deep = registry_->CreateDraft(actor_, kProcess, "deep", deep.as_object(), {});
  ASSERT_FALSE(too_deep);
  EXPECT_THAT(ViolationCodes(too_deep.error()), ElementsAre("content:too_deep"));

  for (const std::string& key :
       std::vector<std::string>{"", "Loan", "1loan", "loan-approval", "../etc", "loan approval",
                                "贷款", std::string("a\0b", 3), std::string(65, 'a'), "a'; DROP"}) {
    auto draft = registry_->CreateDraft(actor_, kProcess, key, {{"a", 1}}, {});
    ASSERT_FALSE(draft) << key;
    EXPECT_THAT(ViolationCodes(draft.error()), ElementsAre("key:invalid_key")) << key;
    auto read = registry_->ListVersions(kProcess, key);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(registry_->CreateDraft(actor_, kProcess, std::string(64, 'a'), {{"a", 1}}, {}));

  auto based_on_nothing = registry_->CreateDraft(actor_, kProcess, "loan", {{"a", 1}}, 42);
  ASSERT_FALSE(based_on_nothing);
  EXPECT_THAT(ViolationCodes(based_on_nothing.error()), ElementsAre("based_on:not_found"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM definition_versions"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM definition_keys"), 1);
}

TEST_P(DefinitionRegistryTest, DiffComparesAnyTwoVersionsOfAKey) {
  Published("loan_approval", {{"limit", 100}, {"steps", json::array{"a"}}});
  Draft("loan_approval", {{"limit", 200}, {"steps", json::array{"a", "b"}}});
  auto diff = registry_->Diff(kProcess, "loan_approval", 1, 2);
  ASSERT_TRUE(diff);
  EXPECT_EQ(json::serialize(*diff), R"([{"op":"replace","path":"/limit","old":100,"value":200},)"
                                    R"({"op":"add","path":"/steps/1","value":"b"}])");
  auto missing = registry_->Diff(kProcess, "loan_approval", 1, 9);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(DefinitionRegistryTest, TwoAdministratorsPublishingOneDraftAtOnceExactlyOneSucceeds) {
  Draft("loan_approval", {{"limit", 1}});
  constexpr int kAdministrators = 6;
  std::atomic<int> succeeded = 0;
  std::atomic<int> conflicts = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kAdministrators; ++i) {
    threads.emplace_back([&, i] {
      audit::Actor admin{.user_id = i + 1, .username = "admin" + std::to_string(i)};
      auto published = registry_->Publish(admin, {kProcess, "loan_approval", 1}, "同时发布");
      if (published) {
        ++succeeded;
      } else if (published.error().code == ErrorCode::kAborted) {
        ++conflicts;
      } else {
        ADD_FAILURE() << published.error().message.en_us << published.error().internal_detail;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(succeeded, 1);
  EXPECT_EQ(conflicts, kAdministrators - 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events WHERE type = 'definition.published'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'definition.publish'"), 1);
}

TEST_P(DefinitionRegistryTest, TwoAdministratorsCreatingADraftOfOneKeyAtOnceMakeOneDraft) {
  constexpr int kAdministrators = 6;
  std::atomic<int> created = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kAdministrators; ++i) {
    threads.emplace_back([&, i] {
      auto draft = registry_->CreateDraft(actor_, kProcess, "loan_approval", {{"by", i}}, {});
      if (draft) {
        ++created;
      } else if (draft.error().code == ErrorCode::kAlreadyExists) {
        ++refused;
      } else {
        ADD_FAILURE() << draft.error().message.en_us << draft.error().internal_detail;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(refused, kAdministrators - 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM definition_versions"), 1);
}

// Every writer drafts and publishes, rolls back or retires the same key as fast as it can; the
// versions that result are 1, 2, … N with no number repeated or skipped.
TEST_P(DefinitionRegistryTest, VersionNumbersNeverRepeatOrSkipUnderConcurrentWriters) {
  Published("loan_approval", {{"round", 0}});
  constexpr int kWriters = 4;
  constexpr int kRounds = 8;
  std::atomic<int> versions_made = 1;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int round = 0; round < kRounds; ++round) {
        if ((w + round) % 3 == 0) {
          auto rolled = registry_->Rollback(actor_, {kProcess, "loan_approval", 1}, "回滚到首版");
          if (rolled) ++versions_made;
          continue;
        }
        auto draft = registry_->CreateDraft(actor_, kProcess, "loan_approval",
                                            {{"writer", w}, {"round", round}}, {});
        if (!draft) {
          if (draft.error().code != ErrorCode::kAlreadyExists) {
            ADD_FAILURE() << draft.error().message.en_us << draft.error().internal_detail;
          }
          continue;
        }
        ++versions_made;
        auto published =
            registry_->Publish(actor_, {kProcess, "loan_approval", draft->version}, "并发发布");
        if (!published && published.error().code != ErrorCode::kAborted) {
          ADD_FAILURE() << published.error().message.en_us;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto versions = registry_->ListVersions(kProcess, "loan_approval");
  ASSERT_TRUE(versions);
  ASSERT_EQ(static_cast<int>(versions->size()), versions_made.load());
  for (size_t i = 0; i < versions->size(); ++i) EXPECT_EQ((*versions)[i].version, int64_t(i) + 1);
  EXPECT_EQ(Count("SELECT last_version FROM definition_keys"), versions_made.load());
}

INSTANTIATE_TEST_SUITE_P(Backends, DefinitionRegistryTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
