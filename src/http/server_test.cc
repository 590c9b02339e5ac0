#include "http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <any>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include "http/body_stream.h"
#include "http/json.h"

namespace oc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

using ClientResponse = bhttp::response<bhttp::string_body>;

// A blocking HTTP/1.1 client over one TCP connection; requests are written byte for byte so
// tests can send exactly what a hostile or broken client would.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  void Send(std::string_view raw) { asio::write(socket_, asio::buffer(raw.data(), raw.size())); }

  ClientResponse Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(boost::none);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }

  ClientResponse Get(std::string_view target, std::string_view extra_headers = "") {
    Send("GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" +
         std::string(extra_headers) + "\r\n");
    return Read();
  }

  // Whether the server closed the connection: the next read ends instead of delivering data.
  bool ClosedByServer() {
    char byte;
    beast::error_code ec;
    size_t n = socket_.read_some(asio::buffer(&byte, 1), ec);
    return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string HeaderOf(const ClientResponse& response, std::string_view name) {
  auto it = response.find(name);
  return it == response.end() ? std::string() : std::string(it->value());
}

boost::json::object ProblemOf(const ClientResponse& response) {
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/problem+json");
  return boost::json::parse(response.body()).as_object();
}

Response Text(std::string body) {
  Response response;
  response.body = std::move(body);
  response.Set("Content-Type", "text/plain; charset=utf-8");
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_stream_);
    access_log_ = std::make_shared<spdlog::logger>("access", sink);
    access_log_->set_pattern("%v");
    router_.Add(Method::kGet, "/healthz", [](Request&) { return Text("ok"); },
                RouteOptions{.on_network_thread = true});
    router_.Add(Method::kGet, "/api/v1/ping", [](Request& request) {
      return Text("pong " + std::string(request.QueryParam("name").value_or("")));
    });
    router_.Add(Method::kGet, "/api/v1/customers/{id}",
                [](Request& request) { return Text("customer " + std::string(request.PathParam("id"))); });
    router_.Add(Method::kPost, "/api/v1/echo", [](Request& request) {
      auto body = ParseJsonBody(request);
      if (!body) return body.error();
      return JsonResponse(200, *body);
    }, RouteOptions{.max_body_bytes = 1000});
  }

  ~ServerTest() override { StopServer(); }

  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.network_threads = 2;
    options.worker_threads = 2;
    server_ = std::make_unique<Server>(std::move(options), router_, access_log_);
    auto started = server_->Start();
    ASSERT_TRUE(started.has_value()) << started.error().internal_detail;
    runner_ = std::thread([this] { server_->Run(false); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    runner_.join();
    server_.reset();
    access_log_->flush();
  }

  uint16_t port() const { return server_->port(); }

  std::ostringstream log_stream_;
  std::shared_ptr<spdlog::logger> access_log_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
};

TEST_F(ServerTest, StartFailsWhenPortIsTaken) {
  StartServer();
  Server second(ServerOptions{.port = port()}, router_, nullptr);
  auto started = second.Start();
  ASSERT_FALSE(started.has_value());
  EXPECT_EQ(started.error().code, ErrorCode::kUnavailable);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client client(port());
  EXPECT_EQ(client.Get("/healthz").body(), "ok");
  EXPECT_EQ(client.Get("/api/v1/ping?name=%E5%BC%A0+%E4%B8%89").body(), "pong 张 三");
  ClientResponse third = client.Get("/api/v1/customers/42");
  EXPECT_EQ(third.result_int(), 200);
  EXPECT_EQ(third.body(), "customer 42");
  EXPECT_TRUE(third.keep_alive());
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  Client client(port());
  ClientResponse response = client.Get("/healthz", "Connection: close\r\n");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, SecurityHeadersAndRequestIdOnEveryResponse) {
  StartServer();
  Client client(port());
  for (std::string_view target : {"/api/v1/ping", "/api/v1/missing", "/healthz"}) {
    ClientResponse response = client.Get(target);
    EXPECT_EQ(HeaderOf(response, "Content-Security-Policy"),
              "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
              "object-src 'none'; base-uri 'self'");
    EXPECT_EQ(HeaderOf(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(HeaderOf(response, "Referrer-Policy"), "no-referrer");
    EXPECT_THAT(HeaderOf(response, "X-Request-Id"), MatchesRegex("[0-9a-f]{32}"));
  }
  EXPECT_EQ(HeaderOf(client.Get("/api/v1/ping"), "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(client.Get("/healthz"), "Cache-Control"), "");
}

TEST_F(ServerTest, SaneClientRequestIdIsEchoedOthersReplaced) {
  StartServer();
  Client client(port());
  EXPECT_EQ(HeaderOf(client.Get("/healthz", "X-Request-Id: trace-01.a_b\r\n"), "X-Request-Id"),
            "trace-01.a_b");
  EXPECT_THAT(HeaderOf(client.Get("/healthz", "X-Request-Id: bad id\"<x>\r\n"), "X-Request-Id"),
              MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(
      HeaderOf(client.Get("/healthz", "X-Request-Id: " + std::string(65, 'a') + "\r\n"),
               "X-Request-Id"),
      MatchesRegex("[0-9a-f]{32}"));
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  StartServer();
  Client client(port());
  ClientResponse missing = client.Get("/api/v1/nothing", "Accept-Language: en-US\r\n");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(ProblemOf(missing).at("code"), "route_not_found");
  EXPECT_EQ(ProblemOf(missing).at("title"), "Not Found");

  client.Send("DELETE /api/v1/ping HTTP/1.1\r\nHost: test\r\n\r\n");
  ClientResponse wrong = client.Read();
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(HeaderOf(wrong, "Allow"), "GET, HEAD");
  EXPECT_EQ(ProblemOf(wrong).at("code"), "method_not_allowed");
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  StartServer();
  Client client(port());
  client.Send("HEAD /api/v1/ping HTTP/1.1\r\nHost: test\r\n\r\n");
  ClientResponse head = client.Read(/*head=*/true);
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(HeaderOf(head, "Content-Length"), "5");
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(client.Get("/healthz").body(), "ok");  // the connection is still in sync
}

TEST_F(ServerTest, JsonBodyReachesHandler) {
  StartServer();
  Client client(port());
  std::string body = R"({"name":"张三"})";
  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), body);

  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
              "Content-Length: 2\r\n\r\n{}");
  EXPECT_EQ(client.Read().result_int(), 415);
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponseBeforeBody) {
  StartServer();
  Client client(port());
  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 100);
  client.Send("{}");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "{}");
}

TEST_F(ServerTest, DeclaredOversizedBodyIs413BeforeReading) {
  StartServer();
  Client client(port());
  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              "Content-Length: 5000\r\n\r\n");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(ProblemOf(response).at("code"), "body_too_large");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, ServerWideBodyLimitAppliesToRoutesWithoutTheirOwn) {
  router_.Add(Method::kPost, "/api/v1/plain", [](Request&) { return Text("ok"); });
  StartServer(ServerOptions{.max_body_bytes = 10});
  Client client(port());
  client.Send("POST /api/v1/plain HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 413);
}

// A route's admission check sees the request before its body: a refused request is answered at
// once, its body is never read, and its handler never runs.
TEST_F(ServerTest, RefusedAdmissionAnswersBeforeTheBodyAndSkipsTheHandler) {
  std::atomic<int> handled{0};
  std::atomic<int> admitted_bodies{0};
  router_.Add(
      Method::kPost, "/api/v1/guarded",
      Endpoint{.handler =
                   [&](Request& request) {
                     ++handled;
                     if (std::any_cast<std::string>(&request.context)) ++admitted_bodies;
                     return Text("handled " + request.body);
                   },
               .admit = [](Request& request) -> std::optional<Response> {
                 if (request.Header("X-Key") != "open") {
                   return ProblemResponse(401, "unauthenticated", {"请先登录", "Sign in"}, request);
                 }
                 request.context = std::string("admitted");
                 return std::nullopt;
               }});
  StartServer();
  {
    Client client(port());
    // The declared body never arrives: the answer must not wait for it.
    client.Send("POST /api/v1/guarded HTTP/1.1\r\nHost: test\r\nContent-Length: 500000\r\n\r\n");
    ClientResponse response = client.Read();
    EXPECT_EQ(response.result_int(), 401);
    EXPECT_TRUE(client.ClosedByServer());
  }
  Client client(port());
  client.Send(
      "POST /api/v1/guarded HTTP/1.1\r\nHost: test\r\nX-Key: open\r\n"
      "Content-Length: 2\r\n\r\nok");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "handled ok");
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(admitted_bodies, 1);
}

// Bodies held at once are bounded over all connections: one that would not fit is refused with
// 503 before it is read.
TEST_F(ServerTest, BodiesBeyondTheServersBufferBudgetAre503) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  std::atomic<bool> first_call{true};
  router_.Add(Method::kPost, "/api/v1/slow", [&, released](Request& request) {
    if (first_call.exchange(false)) entered.set_value();
    released.wait();
    return Text(std::to_string(request.body.size()));
  });
  StartServer(ServerOptions{.max_body_bytes = 1000, .max_buffered_body_bytes = 1500});
  Client first(port());
  first.Send("POST /api/v1/slow HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n" +
             std::string(1000, 'a'));
  // The first body is held by its handler; a second of 600 bytes would pass 1,500.
  entered.get_future().wait();
  Client second(port());
  second.Send("POST /api/v1/slow HTTP/1.1\r\nHost: test\r\nContent-Length: 600\r\n\r\n");
  ClientResponse busy = second.Read();
  EXPECT_EQ(busy.result_int(), 503);
  EXPECT_EQ(ProblemOf(busy).at("code"), "server_busy");
  EXPECT_EQ(HeaderOf(busy, "Retry-After"), "1");
  release.set_value();
  EXPECT_EQ(first.Read().body(), "1000");
  // Once answered, the first body no longer counts.
  Client third(port());
  third.Send("POST /api/v1/slow HTTP/1.1\r\nHost: test\r\nContent-Length: 600\r\n\r\n" +
             std::string(600, 'b'));
  EXPECT_EQ(third.Read().body(), "600");
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  StartServer();
  Client client(port());
  std::string chunk(600, 'x');
  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk +
              "\r\n0\r\n\r\n");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, ChunkedBodyWithinLimitIsAccepted) {
  StartServer();
  Client client(port());
  client.Send("POST /api/v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), R"({"a":1})");
}

TEST_F(ServerTest, HeaderTimeoutClosesSilentConnection) {
  StartServer(ServerOptions{.header_timeout = std::chrono::milliseconds(200)});
  Client client(port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(ServerTest, HeaderTimeoutClosesConnectionWithPartialHeader) {
  StartServer(ServerOptions{.header_timeout = std::chrono::milliseconds(200)});
  Client client(port());
  client.Send("GET /healthz HTTP/1.1\r\nHost: te");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, IdleTimeoutClosesKeptAliveConnection) {
  StartServer(ServerOptions{.idle_timeout = std::chrono::milliseconds(200)});
  Client client(port());
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  StartServer();
  Client client(port());
  client.Send("GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(ProblemOf(response).at("code"), "malformed_request");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  StartServer(ServerOptions{.max_header_bytes = 1024});
  Client client(port());
  client.Send("GET /healthz HTTP/1.1\r\nHost: test\r\nX-Big: " + std::string(4096, 'a') +
              "\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 431);
}

TEST_F(ServerTest, InvalidPercentEncodingIs400) {
  StartServer();
  Client client(port());
  ClientResponse response = client.Get("/api/v1/customers/%zz");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(ProblemOf(response).at("code"), "invalid_argument");
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);
}

TEST_F(ServerTest, HeaderWithLineBreakFromHandlerIsDropped) {
  router_.Add(Method::kGet, "/api/v1/split", [](Request&) {
    Response response = Text("x");
    response.Set("X-Name", "a\r\nSet-Cookie: evil=1");
    response.Set("Bad Name", "v");
    response.Set("X-Fine", "yes");
    return response;
  });
  StartServer();
  Client client(port());
  ClientResponse response = client.Get("/api/v1/split");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), "");
  EXPECT_EQ(HeaderOf(response, "X-Name"), "");
  EXPECT_EQ(HeaderOf(response, "X-Fine"), "yes");
}

TEST_F(ServerTest, NoContentHasNoBodyAndConnectionStaysUsable) {
  router_.Add(Method::kDelete, "/api/v1/customers/{id}", [](Request&) {
    Response response;
    response.status = 204;
    response.body = "ignored";
    return response;
  });
  StartServer();
  Client client(port());
  client.Send("DELETE /api/v1/customers/1 HTTP/1.1\r\nHost: test\r\n\r\n");
  ClientResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 204);
  EXPECT_EQ(HeaderOf(response, "Content-Length"), "");
  EXPECT_EQ(client.Get("/healthz").body(), "ok");
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveRequested) {
  StartServer();
  Client keep(port());
  keep.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ClientResponse first = keep.Read();
  EXPECT_EQ(first.version(), 10u);
  EXPECT_EQ(HeaderOf(first, "Connection"), "keep-alive");
  keep.Send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(keep.Read().body(), "ok");
  EXPECT_TRUE(keep.ClosedByServer());
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutLeakingItsMessage) {
  router_.Add(Method::kGet, "/api/v1/boom", [](Request&) -> Response {
    throw std::runtime_error("connection string password=hunter2");
  });
  StartServer();
  Client client(port());
  ClientResponse response = client.Get("/api/v1/boom");
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_THAT(response.body(), Not(HasSubstr("hunter2")));
  EXPECT_EQ(ProblemOf(response).at("code"), "internal");
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);
}

TEST_F(ServerTest, HandlersRunOnWorkerPoolUnlessMarkedForNetworkThread) {
  std::thread::id network_id;
  std::thread::id worker_id;
  router_.Add(Method::kGet, "/net", [&](Request&) {
    network_id = std::this_thread::get_id();
    return Text("");
  }, RouteOptions{.on_network_thread = true});
  router_.Add(Method::kGet, "/work", [&](Request&) {
    worker_id = std::this_thread::get_id();
    return Text("");
  });
  StartServer();
  Client client(port());
  client.Get("/net");
  client.Get("/work");
  EXPECT_NE(network_id, std::thread::id());
  EXPECT_NE(worker_id, std::thread::id());
  EXPECT_NE(network_id, worker_id);
}

TEST_F(ServerTest, AccessLogLineIsJsonWithoutQueryString) {
  StartServer();
  std::string request_id;
  {
    Client client(port());
    ClientResponse response =
        client.Get("/api/v1/ping?phone=13800000000", "User-Agent: test-agent/1.0\r\n"
                                                     "Cookie: session=topsecret\r\n"
                                                     "Authorization: Bearer tokentoken\r\n");
    request_id = HeaderOf(response, "X-Request-Id");
  }
  StopServer();
  std::string log = log_stream_.str();
  EXPECT_THAT(log, Not(HasSubstr("13800000000")));
  EXPECT_THAT(log, Not(HasSubstr("topsecret")));
  EXPECT_THAT(log, Not(HasSubstr("tokentoken")));
  std::istringstream lines(log);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  boost::json::object entry = boost::json::parse(line).as_object();
  EXPECT_EQ(entry.at("path"), "/api/v1/ping");
  EXPECT_EQ(entry.at("method"), "GET");
  EXPECT_EQ(entry.at("status"), 200);
  EXPECT_EQ(entry.at("bytes_out"), 5u);
  EXPECT_EQ(entry.at("request_id").as_string(), request_id);
  EXPECT_EQ(entry.at("remote_ip"), "127.0.0.1");
  EXPECT_EQ(entry.at("user_agent"), "test-agent/1.0");
  EXPECT_TRUE(entry.at("duration_ms").is_number());
  EXPECT_THAT(std::string(entry.at("ts").as_string()),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z"));
}

class StaticServerTest : public ServerTest {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("oc_web_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>app</html>";
    std::ofstream(root_ / "assets" / "app-1a2b.js") << "console.log(1)";
    StartServer(ServerOptions{.static_dir = root_.string()});
  }
  void TearDown() override {
    StopServer();
    fs::remove_all(root_);
  }
  fs::path root_;
};

TEST_F(StaticServerTest, ServesAssetsAndFallsBackToIndex) {
  Client client(port());
  ClientResponse asset = client.Get("/assets/app-1a2b.js");
  EXPECT_EQ(asset.result_int(), 200);
  EXPECT_EQ(asset.body(), "console.log(1)");
  EXPECT_EQ(HeaderOf(asset, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(asset, "Cache-Control"), "public, max-age=31536000, immutable");

  ClientResponse page = client.Get("/customers/42?tab=loans");
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_EQ(page.body(), "<html>app</html>");
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(page, "X-Frame-Options"), "DENY");

  ClientResponse api = client.Get("/api/v1/unknown");
  EXPECT_EQ(api.result_int(), 404);
  EXPECT_EQ(ProblemOf(api).at("code"), "route_not_found");
  EXPECT_EQ(client.Get("/assets/missing.js").result_int(), 404);
  EXPECT_EQ(client.Get("/healthz").body(), "ok");
}

TEST_F(StaticServerTest, TraversalAttemptsAreRejected) {
  Client client(port());
  for (std::string_view target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/assets/..%2f..%2fetc/passwd"}) {
    ClientResponse response = client.Get(target);
    EXPECT_EQ(response.result_int(), 400) << target;
    EXPECT_THAT(response.body(), Not(HasSubstr("root:"))) << target;
  }
}

TEST_F(ServerTest, WritesWaitOnAPoolOfTheirOwnWhileReadsGoOn) {
  // More writes in flight than the read pool has threads, all waiting (as on a group commit).
  constexpr int kWrites = 5;
  std::mutex mu;
  std::condition_variable cv;
  int waiting = 0;
  bool released = false;
  router_.Add(Method::kPost, "/api/v1/slow-write", [&](Request&) {
    std::unique_lock lock(mu);
    ++waiting;
    cv.notify_all();
    cv.wait(lock, [&] { return released; });
    return Text("written");
  });
  StartServer();  // two threads for reads
  std::vector<std::unique_ptr<Client>> writers;
  for (int i = 0; i < kWrites; ++i) {
    writers.push_back(std::make_unique<Client>(port()));
    writers.back()->Send(
        "POST /api/v1/slow-write HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
  }
  {
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return waiting == kWrites; }))
        << waiting << " of " << kWrites << " writes reached their handler";
  }
  Client reader(port());
  EXPECT_EQ(reader.Get("/api/v1/ping?name=r").body(), "pong r");
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  for (auto& writer : writers) EXPECT_EQ(writer->Read().body(), "written");
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequestAndClosesIdleConnections) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router_.Add(Method::kGet, "/api/v1/slow", [&](Request&) {
    entered.set_value();
    released.wait();
    return Text("done");
  });
  StartServer();
  const uint16_t bound_port = port();
  Client busy(bound_port);
  Client idle(bound_port);
  EXPECT_EQ(idle.Get("/healthz").result_int(), 200);
  busy.Send("GET /api/v1/slow HTTP/1.1\r\nHost: test\r\n\r\n");
  entered.get_future().wait();

  server_->Stop();
  EXPECT_TRUE(idle.ClosedByServer());  // at once, while the slow request is still running
  release.set_value();
  ClientResponse response = busy.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "done");
  EXPECT_FALSE(response.keep_alive());
  runner_.join();  // Run() returns once the last connection is gone
  server_.reset();
  EXPECT_THROW(Client{bound_port}, boost::system::system_error);  // no longer accepting
}

// A client of a streaming response: reads what has arrived so far, and gives up on a read that
// waits longer than five seconds instead of hanging the test.
class StreamClient {
 public:
  explicit StreamClient(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  void Send(std::string_view raw) { asio::write(socket_, asio::buffer(raw.data(), raw.size())); }
  // Everything received until `needle` has arrived (true) or the connection ends or times out.
  bool ReadUntil(std::string_view needle) {
    while (received_.find(needle) == std::string::npos) {
      char bytes[4096];
      beast::error_code ec;
      size_t n = socket_.read_some(asio::buffer(bytes), ec);
      if (ec) return false;
      received_.append(bytes, n);
    }
    return true;
  }
  // Reads until the server closes the connection; false on a timeout.
  bool ReadToEnd() {
    for (;;) {
      char bytes[4096];
      beast::error_code ec;
      size_t n = socket_.read_some(asio::buffer(bytes), ec);
      if (ec == asio::error::eof || ec == asio::error::connection_reset) return true;
      if (ec) return false;
      received_.append(bytes, n);
    }
  }
  void Close() { socket_.close(); }
  const std::string& received() const { return received_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  std::string received_;
};

// Serves /api/v1/stream with a stream the test then writes into.
class StreamingServerTest : public ServerTest {
 protected:
  StreamingServerTest() {
    router_.Add(Method::kGet, "/api/v1/stream", [this](Request&) {
      auto stream = std::make_shared<BodyStream>(": idle\n\n");
      stream->OnEnd([this] {
        std::lock_guard lock(mu_);
        ++ended_;
        changed_.notify_all();
      });
      {
        std::lock_guard lock(mu_);
        streams_.push_back(stream);
        changed_.notify_all();
      }
      stream->Write("retry: 1000\n\n");
      Response response;
      response.Set("Content-Type", "text/event-stream");
      response.stream = std::move(stream);
      return response;
    });
  }
  // Stopping the server ends the open streams, whose callbacks use this fixture's members.
  ~StreamingServerTest() override { StopServer(); }

  std::shared_ptr<BodyStream> WaitForStream(size_t index) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(5), [&] { return streams_.size() > index; });
    return streams_.size() > index ? streams_[index] : nullptr;
  }
  bool WaitForEnded(int count) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return ended_ >= count; });
  }

  static constexpr std::string_view kOpen = "GET /api/v1/stream HTTP/1.1\r\nHost: test\r\n\r\n";
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<BodyStream>> streams_;
  int ended_ = 0;
};

TEST_F(StreamingServerTest, SendsTheHeadAtOnceAndEachChunkAsItIsWritten) {
  StartServer();
  StreamClient client(port());
  client.Send(kOpen);
  ASSERT_TRUE(client.ReadUntil("retry: 1000\n\n"));
  EXPECT_THAT(client.received(), HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(client.received(), HasSubstr("Transfer-Encoding: chunked\r\n"));
  EXPECT_THAT(client.received(), HasSubstr("Cache-Control: no-store\r\n"));
  EXPECT_THAT(client.received(), Not(HasSubstr("Content-Length")));
  auto stream = WaitForStream(0);
  ASSERT_TRUE(stream);
  EXPECT_TRUE(stream->Write("data: one\n\n"));
  ASSERT_TRUE(client.ReadUntil("b\r\ndata: one\n\n\r\n"));
  stream->End();
  ASSERT_TRUE(client.ReadToEnd());
  EXPECT_TRUE(client.received().ends_with("0\r\n\r\n"));
  EXPECT_TRUE(WaitForEnded(1));
  EXPECT_FALSE(stream->Write("data: late\n\n"));
}

TEST_F(StreamingServerTest, ASilentStreamGetsItsIdleChunkToKeepProxiesFromClosingIt) {
  StartServer({.stream_idle_interval = std::chrono::milliseconds(30)});
  StreamClient client(port());
  client.Send(kOpen);
  EXPECT_TRUE(client.ReadUntil(": idle\n\n\r\n8\r\n: idle\n\n"));
}

TEST_F(StreamingServerTest, AClientThatGoesAwayEndsItsStream) {
  StartServer();
  StreamClient client(port());
  client.Send(kOpen);
  ASSERT_TRUE(client.ReadUntil("retry"));
  client.Close();
  EXPECT_TRUE(WaitForEnded(1));
  EXPECT_FALSE(WaitForStream(0)->Write("data: nobody\n\n"));
}

TEST_F(StreamingServerTest, StopEndsEveryOpenStream) {
  StartServer();
  StreamClient first(port());
  StreamClient second(port());
  first.Send(kOpen);
  second.Send(kOpen);
  ASSERT_TRUE(first.ReadUntil("retry"));
  ASSERT_TRUE(second.ReadUntil("retry"));
  server_->Stop();
  EXPECT_TRUE(first.ReadToEnd());
  EXPECT_TRUE(second.ReadToEnd());
  EXPECT_TRUE(first.received().ends_with("0\r\n\r\n"));
  EXPECT_TRUE(WaitForEnded(2));
  runner_.join();
  server_.reset();
}

TEST_F(StreamingServerTest, StreamsBeyondTheLimitAreRefused) {
  StartServer({.max_streams = 1});
  StreamClient first(port());
  first.Send(kOpen);
  ASSERT_TRUE(first.ReadUntil("retry"));
  Client second(port());
  ClientResponse refused = second.Get("/api/v1/stream");
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "5");
  EXPECT_TRUE(WaitForEnded(1));  // the refused stream's producer hears of it
}

TEST(BodyStreamTest, AQueueOverflowEndsTheStream) {
  BodyStream stream("", 16);
  EXPECT_TRUE(stream.Write("0123456789"));
  EXPECT_FALSE(stream.Write("0123456789"));
  EXPECT_TRUE(stream.Take().over);
}

}  // namespace
}  // namespace oc::http
