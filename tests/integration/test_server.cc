#include "test_server.h"

#include "auth/password.h"

namespace oc::testing {

bool ServerTest::ResetPassword(const std::string& username, const std::string& password) {
  auth::PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
  std::string hash = hasher.Hash(password);
  auto status = application_->db().Write([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t changed,
                     tx.Execute("UPDATE users SET password_hash = ?, must_change_password = 0 "
                                "WHERE username = ?",
                                {hash, username}));
    if (changed != 1) return NotFound({"无此用户", "no such user"});
    return Ok();
  });
  return static_cast<bool>(status);
}

std::unique_ptr<TestClient> ServerTest::SignedIn(const std::string& username) {
  std::string password = "Known-Password-" + username;
  EXPECT_TRUE(ResetPassword(username, password)) << username;
  auto client = NewClient();
  auto login = client->Login(username, password);
  EXPECT_EQ(login.status, 200) << login.body;
  return client;
}

int64_t ServerTest::CountRows(const std::string& table) {
  auto count = application_->db().ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
    return row->Int(0);
  });
  return count ? *count : -1;
}

int64_t ServerTest::UserIdOf(const std::string& username) {
  auto id = application_->db().ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE username = ?", {username}));
    if (!row) return NotFound({"无此用户", "no such user"});
    return row->Int(0);
  });
  EXPECT_TRUE(id) << "no user " << username;
  return id.value_or(0);
}

std::string BackendParamName(const ::testing::TestParamInfo<storage::testing::Backend>& info) {
  return storage::testing::BackendName(info.param);
}

}  // namespace oc::testing
