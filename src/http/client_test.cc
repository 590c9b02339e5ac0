#include "http/client.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "http/json.h"
#include "http/server.h"

namespace oc::http {
namespace {

using namespace std::chrono_literals;

TEST(ParseHttpUrlTest, SplitsHostPortAndTarget) {
  auto url = ParseHttpUrl("http://127.0.0.1:9000/hooks/crm?tenant=7", "url");
  ASSERT_TRUE(url) << url.error().message.en_us;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->target, "/hooks/crm?tenant=7");
  auto bare = ParseHttpUrl("http://gateway.example", "url");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, 80);
  EXPECT_EQ(bare->target, "/");
}

TEST(ParseHttpUrlTest, RefusesWhatItCannotSendSafely) {
  for (const char* bad : {"https://gateway.example/hook", "ftp://x/", "127.0.0.1:80/", "http://",
                          "http://:80/", "http://host:0/", "http://host:70000/", "http://host:8a/",
                          "http://user:pw@host/", "http://host/a b", "http://host/a\r\nX: 1"}) {
    auto url = ParseHttpUrl(bad, "integration.webhook_url");
    ASSERT_FALSE(url) << bad;
    ASSERT_EQ(url.error().field_violations.size(), 1u) << bad;
    EXPECT_EQ(url.error().field_violations[0].field, "integration.webhook_url");
    EXPECT_FALSE(url.error().field_violations[0].message.zh_cn.empty());
  }
  auto https = ParseHttpUrl("https://gateway.example/hook", "url");
  EXPECT_NE(https.error().field_violations[0].message.en_us.find("https"), std::string::npos);
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Method::kPost, "/hook", [this](Request& request) {
      received_key_ = std::string(request.Header("Idempotency-Key").value_or(""));
      received_body_ = request.body;
      return Response{.status = 202, .body = "accepted"};
    });
    router_.Add(Method::kGet, "/big", [](Request&) {
      return Response{.status = 200, .body = std::string(100'000, 'x')};
    });
    server_ = std::make_unique<Server>(
        ServerOptions{.port = 0, .network_threads = 1, .worker_threads = 1}, router_,
        std::make_shared<spdlog::logger>("null", std::make_shared<spdlog::sinks::null_sink_mt>()));
    ASSERT_TRUE(server_->Start());
    runner_ = std::thread([this] { server_->Run(false); });
  }
  void TearDown() override {
    server_->Stop();
    runner_.join();
  }

  Url At(std::string target) {
    return Url{.host = "127.0.0.1", .port = server_->port(), .target = std::move(target)};
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::string received_key_;
  std::string received_body_;
};

TEST_F(ClientTest, PostsTheBodyAndHeadersAndReadsTheAnswer) {
  auto answer =
      Send({.url = At("/hook"),
            .headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "webhook:42"}},
            .body = R"({"type":"customer.created"})"});
  ASSERT_TRUE(answer) << answer.error().message.en_us;
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(answer->body, "accepted");
  EXPECT_EQ(received_key_, "webhook:42");
  EXPECT_EQ(received_body_, R"({"type":"customer.created"})");
}

TEST_F(ClientTest, AnAnswerBeyondTheLimitIsCutShortAndReported) {
  auto answer = Send({.method = "GET", .url = At("/big"), .max_response_bytes = 1000});
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.en_us.find("longer than 1000"), std::string::npos);
}

TEST(ClientDeadlineTest, AGatewayThatNeverAnswersHoldsTheCallForTheTimeoutOnly) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = silent.local_endpoint().port();
  std::thread accept([&] {
    boost::asio::ip::tcp::socket peer(io);
    silent.accept(peer);
    std::this_thread::sleep_for(1500ms);  // reads nothing, answers nothing
  });
  const auto started = std::chrono::steady_clock::now();
  auto answer = Send({.url = {.host = "127.0.0.1", .port = port}, .timeout = 300ms});
  const auto took = std::chrono::steady_clock::now() - started;
  accept.join();
  ASSERT_FALSE(answer);
  EXPECT_NE(answer.error().message.en_us.find("timed out"), std::string::npos)
      << answer.error().message.en_us;
  EXPECT_LT(took, 1200ms);
}

TEST(ClientDeadlineTest, NobodyListeningIsUnavailable) {
  boost::asio::io_context io;
  uint16_t port = 0;
  {
    boost::asio::ip::tcp::acceptor closed(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = closed.local_endpoint().port();
  }
  auto answer = Send({.url = {.host = "127.0.0.1", .port = port}, .timeout = 2000ms});
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.en_us.find("cannot connect"), std::string::npos);
}

}  // namespace
}  // namespace oc::http
