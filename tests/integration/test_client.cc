#include "test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <thread>

namespace oc::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::optional<std::string> HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

boost::json::value HttpResult::Json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::vector<std::string> HttpResult::ViolationCodes() const {
  std::vector<std::string> out;
  auto doc = Json();
  if (!doc.is_object()) return out;
  const auto* errors = doc.as_object().if_contains("errors");
  if (!errors || !errors->is_array()) return out;
  for (const auto& e : errors->as_array()) {
    out.push_back(std::string(e.at("field").as_string()) + ":" +
                  std::string(e.at("code").as_string()));
  }
  return out;
}

HttpResult TestClient::Send(const std::string& method, const std::string& target,
                            const std::string& body, const HeaderList& headers, bool with_csrf) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  if (!source_address_.empty()) {
    socket.open(asio::ip::tcp::v4());
    socket.bind({asio::ip::make_address(source_address_), 0});
  }
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, "127.0.0.1");
  request.set(bhttp::field::connection, "close");
  if (!cookie_.empty()) request.set(bhttp::field::cookie, cookie_);
  bool state_changing = method != "GET" && method != "HEAD" && method != "OPTIONS";
  if (state_changing && with_csrf && !csrf_.empty()) request.set("X-CSRF-Token", csrf_);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || state_changing) request.prepare_payload();
  bhttp::write(socket, request);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(method == "HEAD");
  beast::error_code ec;
  bhttp::read(socket, buffer, parser, ec);
  HttpResult result;
  if (ec) {
    result.status = -1;
    result.body = ec.message();
    return result;
  }
  auto response = parser.release();
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    result.headers.emplace(name, std::string(field.value()));
  }
  result.body = std::move(response.body());
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return result;
}

HttpResult TestClient::Get(const std::string& target, const HeaderList& headers) {
  return Send("GET", target, "", headers);
}

HttpResult TestClient::PostJson(const std::string& target, const boost::json::value& body,
                                const HeaderList& headers) {
  HeaderList all = {{"Content-Type", "application/json"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return Send("POST", target, boost::json::serialize(body), all);
}

HttpResult TestClient::PatchJson(const std::string& target, const boost::json::value& body,
                                 const HeaderList& headers) {
  HeaderList all = {{"Content-Type", "application/json"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return Send("PATCH", target, boost::json::serialize(body), all);
}

HttpResult TestClient::Delete(const std::string& target, const HeaderList& headers) {
  return Send("DELETE", target, "", headers);
}

HttpResult TestClient::DeleteJson(const std::string& target, const boost::json::value& body,
                                  const HeaderList& headers) {
  HeaderList all = {{"Content-Type", "application/json"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return Send("DELETE", target, boost::json::serialize(body), all);
}

HttpResult TestClient::Login(const std::string& username, const std::string& password) {
  ForgetSession();
  HttpResult result = PostJson("/api/v1/auth/login",
                               boost::json::object{{"username", username}, {"password", password}});
  if (result.status == 200) {
    auto set_cookie = result.Header("set-cookie").value_or("");
    cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    csrf_ = std::string(result.Json().at("csrf_token").as_string());
  }
  return result;
}

void TestClient::ForgetSession() {
  cookie_.clear();
  csrf_.clear();
}

std::string Str(const boost::json::value& v, std::string_view key) {
  const boost::json::value* member = v.as_object().if_contains(key);
  if (!member || !member->is_string()) return "";
  return std::string(member->as_string());
}

std::string RawExchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds wait) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  asio::write(stream, asio::buffer(bytes), ec);
  std::string received;
  char chunk[4096];
  // The stream's deadline applies to asynchronous reads only; a response that stays open (a
  // stream of events) ends the exchange after `wait` of silence.
  while (!ec) {
    stream.expires_after(wait);
    size_t n = 0;
    stream.async_read_some(asio::buffer(chunk), [&](beast::error_code result, size_t read) {
      ec = result;
      n = read;
    });
    io.restart();
    io.run();
    received.append(chunk, n);
  }
  return received;
}

std::string UploadWhileReading(uint16_t port, const std::string& head, const std::string& body) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return {};
  }
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  std::thread writer([fd, &head, &body] {
    std::string all = head + body;
    size_t sent = 0;
    while (sent < all.size()) {
      ssize_t n = ::send(fd, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server has closed: expected once it refused the body
      sent += static_cast<size_t>(n);
    }
  });
  std::string received;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    received.append(chunk, static_cast<size_t>(n));
    // The whole problem document is small; once its end is in, stop waiting.
    if (received.find("\r\n\r\n") != std::string::npos && received.ends_with("}")) break;
  }
  ::shutdown(fd, SHUT_RDWR);
  writer.join();
  ::close(fd);
  return received;
}

}  // namespace oc::testing
