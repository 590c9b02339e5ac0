#include "http/client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

namespace oc::http {

namespace beast = boost::beast;
namespace asio = boost::asio;

Result<Url> ParseHttpUrl(std::string_view text, std::string field) {
  auto invalid = [&](Message message) {
    return InvalidField(field, "invalid_url", std::move(message));
  };
  if (text.starts_with("https://")) {
    return invalid({"暂不支持 https:// 地址，请使用 http://（例如经本机代理）",
                    "https:// addresses are not supported yet; use http:// (e.g. through a local "
                    "proxy)"});
  }
  constexpr std::string_view kScheme = "http://";
  if (!text.starts_with(kScheme)) {
    return invalid({"地址须以 http:// 开头，如 http://127.0.0.1:9000/hook",
                    "The address must start with http://, e.g. http://127.0.0.1:9000/hook"});
  }
  std::string_view rest = text.substr(kScheme.size());
  const size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url url;
  if (slash != std::string_view::npos) {
    url.target = std::string(rest.substr(slash));
    if (url.target.front() == '?') url.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) {
    return invalid(
        {"地址中不能含用户名或密码", "The address must not hold a user name or password"});
  }
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid({"端口须为 1 到 65535 的整数", "The port must be an integer from 1 to 65535"});
    }
    url.port = static_cast<uint16_t>(value);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return invalid({"地址缺少主机名", "The address has no host"});
  for (char c : std::string_view(url.target)) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return invalid({"地址中含空白或控制字符", "The address holds a space or control character"});
    }
  }
  url.host = std::string(authority);
  return url;
}

Result<ClientResponse> Send(const ClientRequest& request) {
  auto unavailable = [&](std::string_view what, const beast::error_code& ec) {
    return MakeError(ErrorCode::kUnavailable,
                     {"无法调用 " + request.url.host + "：" + std::string(what),
                      "Calling " + request.url.host + " failed: " + std::string(what)},
                     ec ? ec.message() : std::string());
  };
  // Beast applies a stream's deadline to asynchronous operations only: each step below is
  // started asynchronously and the context run until it completes or the deadline ends it.
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  auto step = [&](auto start) {
    ec = {};
    start([&](beast::error_code result, auto&&...) { ec = result; });
    io.restart();
    io.run();
  };
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(request.url.host, std::to_string(request.url.port), ec);
  if (ec) return unavailable("host not found", ec);
  stream.expires_after(request.timeout);
  step([&](auto done) { stream.async_connect(endpoints, done); });
  if (ec) {
    return unavailable(ec == beast::error::timeout ? "timed out" : "cannot connect", ec);
  }

  beast::http::request<beast::http::string_body> out;
  out.method(beast::http::string_to_verb(request.method));
  out.target(request.url.target);
  out.version(11);
  out.set(beast::http::field::host, request.url.host + ":" + std::to_string(request.url.port));
  out.set(beast::http::field::user_agent, "OpenCredit");
  out.set(beast::http::field::connection, "close");
  for (const auto& [name, value] : request.headers) out.set(name, value);
  out.body() = request.body;
  out.prepare_payload();
  step([&](auto done) { beast::http::async_write(stream, out, done); });
  if (ec) return unavailable(ec == beast::error::timeout ? "timed out" : "cannot send", ec);

  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(request.max_response_bytes);
  step([&](auto done) { beast::http::async_read(stream, buffer, parser, done); });
  if (ec == beast::http::error::body_limit) {
    return unavailable(
        "the answer is longer than " + std::to_string(request.max_response_bytes) + " bytes", ec);
  }
  if (ec) return unavailable(ec == beast::error::timeout ? "timed out" : "no valid answer", ec);
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  auto response = parser.release();
  return ClientResponse{.status = static_cast<int>(response.result_int()),
                        .body = std::move(response.body())};
}

}  // namespace oc::http
