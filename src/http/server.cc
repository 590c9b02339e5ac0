#include "http/server.h"

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <list>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "http/access_log.h"
#include "http/body_stream.h"
#include "http/json.h"
#include "http/request_id.h"
#include "http/static_files.h"
#include "http/target.h"

namespace oc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 8 * 1024;
// After an error response the client may still be sending the rest of its body; closing at once
// would make the kernel answer with RST and could destroy the response before the client reads it.
// So the server stops writing, then drains input for a moment before closing.
constexpr size_t kMaxDrainBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxDrainTime{1000};
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// default-src 'self' keeps out foreign scripts and connections; style-src also allows inline
// styles because the UI library (Ant Design) injects its CSS-in-JS as <style> elements.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "object-src 'none'; base-uri 'self'";

Method ToMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Method::kGet;
    case bhttp::verb::head: return Method::kHead;
    case bhttp::verb::post: return Method::kPost;
    case bhttp::verb::put: return Method::kPut;
    case bhttp::verb::patch: return Method::kPatch;
    case bhttp::verb::delete_: return Method::kDelete;
    case bhttp::verb::options: return Method::kOptions;
    default: return Method::kOther;
  }
}

bool IsQuietDisconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == asio::error::eof ||
         ec == asio::error::bad_descriptor;
}

// The path as sent, without the query: what the access log records even when decoding failed.
std::string_view RawPath(std::string_view target) { return target.substr(0, target.find('?')); }

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

// Headers the server owns: framing is derived from the body, not taken from a handler.
bool IsFramingHeader(std::string_view name) {
  auto lower_equals = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == y;
           });
  };
  return lower_equals(name, "content-length") || lower_equals(name, "transfer-encoding") ||
         lower_equals(name, "connection");
}

// A handler-supplied header goes out only if its name is an RFC 9110 token and its value has no
// control characters: a CR or LF from data would let a client split the response.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    bool tchar = std::isalnum(static_cast<unsigned char>(c)) ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!tchar) return false;
  }
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) return false;
  }
  return true;
}

// RFC 9112 §6.1 and §6.3. A proxy in front and this server must agree on where a request ends, or
// the bytes after it are read as a second request the proxy never saw (request smuggling). So the
// only framing accepted besides Content-Length is exactly one transfer coding, chunked: a coding
// we do not implement is 501, anything that leaves the length open to interpretation is 400, and
// either way the connection is closed without reading what follows.
std::optional<Response> FramingProblem(const Request& request, unsigned version) {
  auto [begin, end] = request.headers.equal_range("Transfer-Encoding");
  if (begin == end) return std::nullopt;
  auto refuse = [&request](std::string zh, std::string en) {
    return ProblemResponse(400, "invalid_transfer_encoding",
                           {"请求的 Transfer-Encoding 无效：" + zh,
                            "Invalid Transfer-Encoding: " + en},
                           request);
  };
  if (version < 11) return refuse("HTTP/1.0 不支持分块传输", "HTTP/1.0 has no transfer codings");
  if (request.headers.contains("Content-Length")) {
    return refuse("不能同时带有 Content-Length", "it cannot be combined with Content-Length");
  }
  std::vector<std::string> codings;
  for (auto it = begin; it != end; ++it) {
    std::string_view list = it->second;
    for (;;) {
      const size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      codings.emplace_back(item);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (codings.size() == 1 && beast::iequals(codings.front(), "chunked")) return std::nullopt;
  const bool chunked_last = !codings.empty() && beast::iequals(codings.back(), "chunked");
  const bool chunked_once =
      std::count_if(codings.begin(), codings.end(),
                    [](const std::string& c) { return beast::iequals(c, "chunked"); }) == 1;
  if (!chunked_last || !chunked_once ||
      std::any_of(codings.begin(), codings.end(), [](const std::string& c) { return c.empty(); })) {
    return refuse("只接受 chunked", "only chunked is accepted");
  }
  return ProblemResponse(501, "transfer_coding_not_implemented",
                         {"不支持的传输编码：" + codings.front(),
                          "Transfer coding not implemented: " + codings.front()},
                         request);
}

Response InvokeHandler(const Handler& handler, Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return ProblemResponse(Internal(std::string("handler threw: ") + e.what()), request);
  } catch (...) {
    return ProblemResponse(Internal("handler threw a non-standard exception"), request);
  }
}

// One accepted TCP connection. Lives in the frame of the coroutine serving it and is listed in its
// shard so Stop() can close it; both are touched only on the shard's thread.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the first byte of a request; safe to close on Stop()
  // While the connection streams a response: the timer its writer sleeps on, so that Stop() can
  // wake it to end the stream.
  asio::steady_timer* stream_timer = nullptr;
};

// One network thread's io_context and the connections it serves.
struct Shard {
  std::list<Connection*> connections;
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{context.get_executor()};
};

enum class AfterResponse { kKeepAlive, kClose, kDrainAndClose };

// How a response's end is told: by Content-Length, by the chunked coding's last chunk, or (for an
// HTTP/1.0 client, which knows no chunks) by closing the connection.
enum class Framing { kLength, kChunked, kUntilClose };

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, const Router& r, std::shared_ptr<spdlog::logger> log);
  ~Impl();

  Status Start();
  void Run(bool handle_signals);
  void Stop();

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(Shard& shard, tcp::socket socket);
  asio::awaitable<AfterResponse> ServeOne(Connection& connection, beast::flat_buffer& buffer,
                                          const std::string& remote_ip);
  asio::awaitable<Response> Dispatch(Request& request, const Router::Match& match);
  asio::awaitable<bool> Respond(Connection& connection, Request& request, Response response,
                                unsigned version, bool close, Clock::time_point start);
  asio::awaitable<void> Drain(Connection& connection);
  asio::awaitable<void> Stream(Connection& connection, Request& request, Response response,
                               unsigned version, Clock::time_point start);
  asio::awaitable<void> Pump(Connection& connection, BodyStream& body, asio::steady_timer& timer,
                             Framing framing, uint64_t& sent);
  asio::awaitable<bool> WriteChunk(Connection& connection, std::string_view bytes, Framing framing);
  std::string SerializeHead(const Request& request, Response& response, unsigned version,
                            bool close, Framing framing = Framing::kLength) const;
  void LogAccess(const Request& request, int status, uint64_t bytes_out,
                 Clock::time_point start) const;
  void ForceClose();
  void Finish();
  void SessionEnded();

  ServerOptions options;
  const Router& router;
  std::shared_ptr<spdlog::logger> access_log;
  std::optional<StaticFiles> static_files;

  // Declaration order is destruction order in reverse: the worker pool is joined first (handlers
  // still reference coroutine frames), then the acceptor and timers, then the io_contexts.
  std::vector<std::unique_ptr<Shard>> shards;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> grace_timer;
  asio::thread_pool workers;
  asio::thread_pool writers;

  std::atomic<size_t> buffered_body_bytes{0};
  std::atomic<size_t> open_streams{0};
  std::atomic<bool> stopping{false};
  std::atomic<bool> finished{false};
  // The accept loop plus every live connection; the server has shut down when it reaches zero.
  std::atomic<int> active{0};
  std::atomic<size_t> shards_closed{0};
  size_t next_shard = 0;  // accept loop only
  uint16_t bound_port = 0;
};

namespace {

int DefaultNetworkThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Sized for computing: every extra runnable thread on a small machine costs context switches on
// the read path (an authenticated GET served 40k/s with 4 workers and 27k/s with 32 on 2 cores).
int DefaultWorkerThreads() { return std::max(4, 2 * DefaultNetworkThreads()); }

// Sized for waiting: a write blocks until its group commit is on disk, and every write in flight
// joins the next commit (32 concurrent creators ran at 1,000/s with 4 threads for everything and
// doubled that with 32). CPU-heavy work inside a write is bounded where it happens (password
// hashing takes one of as many slots as there are cores).
int DefaultWriteThreads() { return 64; }

bool ChangesData(Method method) {
  return method != Method::kGet && method != Method::kHead && method != Method::kOptions;
}

}  // namespace

Server::Impl::Impl(ServerOptions opts, const Router& r, std::shared_ptr<spdlog::logger> log)
    : options(std::move(opts)),
      router(r),
      access_log(std::move(log)),
      workers(static_cast<size_t>(options.worker_threads > 0 ? options.worker_threads
                                                             : DefaultWorkerThreads())),
      writers(static_cast<size_t>(options.write_threads > 0 ? options.write_threads
                                                            : DefaultWriteThreads())) {
  int threads = options.network_threads > 0 ? options.network_threads : DefaultNetworkThreads();
  for (int i = 0; i < threads; ++i) shards.push_back(std::make_unique<Shard>());
}

Server::Impl::~Impl() {
  // Frames destroyed below end their sessions; none of that may restart shutdown work.
  finished = true;
  workers.stop();
  writers.stop();
  workers.join();
  writers.join();
}

Status Server::Impl::Start() {
  if (!options.static_dir.empty()) {
    ASSIGN_OR_RETURN(StaticFiles files, StaticFiles::Open(options.static_dir));
    static_files.emplace(std::move(files));
  }
  asio::io_context& context = shards.front()->context;
  beast::error_code ec;
  tcp::resolver resolver(context);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return MakeError(ErrorCode::kUnavailable, {"无法监听服务地址", "Cannot listen on the address"},
                     "resolve " + options.host + ": " + ec.message());
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor.emplace(context);
  if (acceptor->open(endpoint.protocol(), ec) ||
      acceptor->set_option(asio::socket_base::reuse_address(true), ec) ||
      acceptor->bind(endpoint, ec) ||
      acceptor->listen(asio::socket_base::max_listen_connections, ec)) {
    acceptor.reset();
    return MakeError(ErrorCode::kUnavailable, {"无法监听服务地址", "Cannot listen on the address"},
                     "bind " + options.host + ":" + std::to_string(options.port) + ": " +
                         ec.message());
  }
  bound_port = acceptor->local_endpoint().port();
  active = 1;
  asio::co_spawn(context, Accept(), [](std::exception_ptr e) {
    if (e) spdlog::error("http: the accept loop ended with an exception");
  });
  return Ok();
}

void Server::Impl::Run(bool handle_signals) {
  std::optional<asio::signal_set> signals;
  if (handle_signals) {
    signals.emplace(shards.front()->context, SIGINT, SIGTERM);
    signals->async_wait([this](const beast::error_code& ec, int) {
      if (!ec) Stop();
    });
  }
  auto run = [](asio::io_context& context) {
    for (;;) {
      try {
        context.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: network thread caught: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < shards.size(); ++i) {
    threads.emplace_back([&run, shard = shards[i].get()] { run(shard->context); });
  }
  run(shards.front()->context);
  for (std::thread& thread : threads) thread.join();
}

void Server::Impl::Stop() {
  if (stopping.exchange(true)) return;
  asio::post(shards.front()->context, [this] {
    beast::error_code ec;
    if (acceptor) acceptor->close(ec);
    grace_timer.emplace(shards.front()->context, options.shutdown_grace);
    grace_timer->async_wait([this](const beast::error_code& wait_error) {
      if (!wait_error) ForceClose();
    });
  });
  for (auto& shard : shards) {
    asio::post(shard->context, [shard = shard.get()] {
      for (Connection* connection : shard->connections) {
        beast::error_code ec;
        if (connection->idle) connection->stream.socket().close(ec);
        if (connection->stream_timer) connection->stream_timer->cancel();
      }
    });
  }
  if (active == 0) Finish();
}

// The grace period is over: whatever is still open is closed. A handler still running on the
// worker pool cannot be interrupted; its result is dropped.
void Server::Impl::ForceClose() {
  for (auto& shard : shards) {
    asio::post(shard->context, [this, shard = shard.get()] {
      for (Connection* connection : shard->connections) {
        beast::error_code ec;
        connection->stream.socket().close(ec);
      }
      if (++shards_closed == shards.size()) Finish();
    });
  }
}

void Server::Impl::Finish() {
  if (finished.exchange(true)) return;
  for (auto& shard : shards) shard->context.stop();
}

void Server::Impl::SessionEnded() {
  if (--active == 0 && stopping) Finish();
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    Shard& shard = *shards[next_shard++ % shards.size()];
    auto [ec, socket] = co_await acceptor->async_accept(shard.context, kNoThrow);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) break;
      // Running out of descriptors (EMFILE) fails again at once; pause instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, kAcceptRetryDelay);
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    beast::error_code option_error;
    socket.set_option(tcp::no_delay(true), option_error);
    ++active;
    asio::co_spawn(shard.context, Serve(shard, tcp::socket(std::move(socket))),
                   [this](std::exception_ptr e) {
                     if (e) {
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& what) {
                         spdlog::error("http: connection failed: {}", what.what());
                       }
                     }
                     SessionEnded();
                   });
  }
  SessionEnded();
}

asio::awaitable<void> Server::Impl::Serve(Shard& shard, tcp::socket socket) {
  beast::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  const std::string remote_ip = ec ? std::string() : peer.address().to_string();
  Connection connection(std::move(socket));
  auto registration = shard.connections.insert(shard.connections.end(), &connection);
  struct Unregister {
    Shard& shard;
    std::list<Connection*>::iterator it;
    ~Unregister() { shard.connections.erase(it); }
  } unregister{shard, registration};

  beast::flat_buffer buffer;
  bool first = true;
  AfterResponse after = AfterResponse::kClose;
  for (;;) {
    if (buffer.size() == 0) {
      if (stopping) break;
      // A new connection gets the header timeout; a kept-alive one may sit idle longer.
      connection.idle = true;
      connection.stream.expires_after(first ? options.header_timeout : options.idle_timeout);
      auto [read_error, n] =
          co_await connection.stream.async_read_some(buffer.prepare(kReadChunk), kNoThrow);
      connection.idle = false;
      if (read_error) break;
      buffer.commit(n);
    }
    first = false;
    after = co_await ServeOne(connection, buffer, remote_ip);
    if (after != AfterResponse::kKeepAlive) break;
  }
  connection.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (after == AfterResponse::kDrainAndClose) co_await Drain(connection);
  connection.stream.socket().close(ec);
}

asio::awaitable<void> Server::Impl::Drain(Connection& connection) {
  connection.stream.expires_after(std::min<Clock::duration>(kMaxDrainTime, options.header_timeout));
  char sink[kReadChunk];
  size_t drained = 0;
  while (drained < kMaxDrainBytes) {
    auto [ec, n] = co_await connection.stream.async_read_some(asio::buffer(sink), kNoThrow);
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<AfterResponse> Server::Impl::ServeOne(Connection& connection,
                                                      beast::flat_buffer& buffer,
                                                      const std::string& remote_ip) {
  const Clock::time_point start = Clock::now();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  // The body limit depends on the route, known only once the header is in.
  parser.body_limit(boost::none);

  Request request;
  request.remote_ip = remote_ip;
  connection.stream.expires_after(options.header_timeout);
  auto [header_error, header_bytes] =
      co_await bhttp::async_read_header(connection.stream, buffer, parser, kNoThrow);
  if (header_error) {
    if (IsQuietDisconnect(header_error)) co_return AfterResponse::kClose;
    request.method = Method::kOther;
    request.request_id = NewRequestId();
    bool too_large = header_error == bhttp::error::header_limit;
    Response problem =
        too_large ? ProblemResponse(431, "header_too_large",
                                    {"请求头过大", "The request header is too large"}, request)
                  : ProblemResponse(400, "malformed_request",
                                    {"HTTP 请求格式错误", "The HTTP request is malformed"}, request);
    co_await Respond(connection, request, std::move(problem), 11, true, start);
    co_return AfterResponse::kDrainAndClose;
  }

  auto& message = parser.get();
  request.method = ToMethod(message.method());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  auto client_id = request.Header("X-Request-Id");
  request.request_id =
      client_id && IsSaneRequestId(*client_id) ? std::string(*client_id) : NewRequestId();
  const unsigned version = message.version();
  bool close = !message.keep_alive();
  if (auto refused = FramingProblem(request, version)) {
    co_await Respond(connection, request, std::move(*refused), version, true, start);
    co_return AfterResponse::kDrainAndClose;
  }

  std::optional<Response> early;
  Router::Match match;
  size_t body_limit = options.max_body_bytes;
  if (auto decoded = DecodeTarget(request.target); !decoded) {
    early = ProblemResponse(decoded.error(), request);
  } else {
    request.path = std::move(decoded->path);
    request.query = std::move(decoded->query);
    match = router.Find(request.method, request.path);
    if (match.route != nullptr && match.route->options.max_body_bytes != 0) {
      body_limit = match.route->options.max_body_bytes;
    }
  }

  if (match.route != nullptr) {
    for (const auto& [name, value] : match.params) request.path_params.emplace(name, value);
  }
  auto too_large = [&] {
    return ProblemResponse(413, "body_too_large",
                           {"请求体超过 " + std::to_string(body_limit) + " 字节的上限",
                            "The request body exceeds the limit of " +
                                std::to_string(body_limit) + " bytes"},
                           request);
  };
  // Refused before a single body byte is read when the length is declared up front.
  if (auto length = parser.content_length(); length && *length > body_limit) {
    co_await Respond(connection, request, too_large(), version, true, start);
    co_return AfterResponse::kDrainAndClose;
  }
  // Held until the response is written; the body lives as long.
  struct BodyReservation {
    std::atomic<size_t>* total = nullptr;
    size_t bytes = 0;
    ~BodyReservation() {
      if (total) total->fetch_sub(bytes);
    }
  } reservation;
  if (!parser.is_done() && !early) {
    if (match.route != nullptr && match.route->options.admit) {
      const Admission& admit = match.route->options.admit;
      std::optional<Response> refused = co_await asio::co_spawn(
          ChangesData(request.method) ? writers : workers,
          [&]() -> asio::awaitable<std::optional<Response>> { co_return admit(request); },
          asio::use_awaitable);
      if (refused) {
        co_await Respond(connection, request, std::move(*refused), version, true, start);
        co_return AfterResponse::kDrainAndClose;
      }
    }
    const size_t wanted = parser.content_length().value_or(body_limit);
    size_t held = buffered_body_bytes.load();
    do {
      if (held + wanted > options.max_buffered_body_bytes) {
        Response busy = ProblemResponse(
            503, "server_busy", {"服务器正忙，请稍后重试", "The server is busy; try again shortly"},
            request);
        busy.Set("Retry-After", "1");
        co_await Respond(connection, request, std::move(busy), version, true, start);
        co_return AfterResponse::kDrainAndClose;
      }
    } while (!buffered_body_bytes.compare_exchange_weak(held, held + wanted));
    reservation.total = &buffered_body_bytes;
    reservation.bytes = wanted;
  }
  if (!parser.is_done()) {
    if (auto expect = request.Header("Expect");
        expect && beast::iequals(*expect, "100-continue") && version >= 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      connection.stream.expires_after(options.body_timeout);
      auto [write_error, n] = co_await asio::async_write(
          connection.stream, asio::buffer(kContinue.data(), kContinue.size()), kNoThrow);
      if (write_error) co_return AfterResponse::kClose;
    }
    parser.body_limit(body_limit);
    connection.stream.expires_after(options.body_timeout);
    auto [body_error, body_bytes] =
        co_await bhttp::async_read(connection.stream, buffer, parser, kNoThrow);
    if (body_error == bhttp::error::body_limit) {
      co_await Respond(connection, request, too_large(), version, true, start);
      co_return AfterResponse::kDrainAndClose;
    }
    if (body_error) {
      if (IsQuietDisconnect(body_error)) co_return AfterResponse::kClose;
      // Built outside the co_await: GCC 12 destroys the temporaries of a braced initializer
      // inside a co_await expression twice (a double free on every malformed body).
      Response malformed = ProblemResponse(
          400, "malformed_request", {"HTTP 请求体格式错误", "The HTTP request body is malformed"},
          request);
      co_await Respond(connection, request, std::move(malformed), version, true, start);
      co_return AfterResponse::kDrainAndClose;
    }
  }
  request.body = std::move(message.body());

  Response response;
  if (early) {
    response = std::move(*early);
  } else {
    response = co_await Dispatch(request, match);
  }
  if (response.stream) {
    co_await Stream(connection, request, std::move(response), version, start);
    co_return AfterResponse::kClose;
  }
  close = close || stopping;
  bool written = co_await Respond(connection, request, std::move(response), version, close, start);
  co_return written && !close ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

asio::awaitable<Response> Server::Impl::Dispatch(Request& request, const Router::Match& match) {
  switch (match.outcome) {
    case Router::Outcome::kFound: {
      const Route& route = *match.route;
      if (route.options.on_network_thread) co_return InvokeHandler(route.handler, request);
      // The handler may block (database, hashing), so it runs on a worker pool; this coroutine
      // resumes on its own network thread once the pool has produced the response.
      co_return co_await asio::co_spawn(
          ChangesData(request.method) ? writers : workers,
          [&]() -> asio::awaitable<Response> { co_return InvokeHandler(route.handler, request); },
          asio::use_awaitable);
    }
    case Router::Outcome::kMethodNotAllowed: {
      std::string allow;
      for (Method method : match.allowed) {
        if (!allow.empty()) allow += ", ";
        allow += MethodName(method);
      }
      Response response = ProblemResponse(
          405, "method_not_allowed",
          {"该地址不支持 " + std::string(MethodName(request.method)) + " 请求",
           "This resource does not support " + std::string(MethodName(request.method))},
          request);
      response.Set("Allow", std::move(allow));
      co_return response;
    }
    case Router::Outcome::kNotFound:
      break;
  }
  bool readable = request.method == Method::kGet || request.method == Method::kHead;
  if (static_files && readable && !IsApiPath(request.path)) {
    co_return co_await asio::co_spawn(
        workers, [&]() -> asio::awaitable<Response> { co_return static_files->Serve(request); },
        asio::use_awaitable);
  }
  co_return ProblemResponse(404, "route_not_found",
                            {"请求的地址不存在", "No such resource"}, request);
}

asio::awaitable<void> Server::Impl::Stream(Connection& connection, Request& request,
                                           Response response, unsigned version,
                                           Clock::time_point start) {
  std::shared_ptr<BodyStream> body = std::move(response.stream);
  // Whatever ends the response, its producer hears of it.
  struct FinishOnExit {
    BodyStream& body;
    ~FinishOnExit() { body.Finish(); }
  } finish{*body};
  struct StreamSlot {
    std::atomic<size_t>& open;
    ~StreamSlot() { --open; }
  } slot{open_streams};
  if (++open_streams > options.max_streams || stopping) {
    Response busy = ProblemResponse(
        503, "server_busy", {"服务器正忙，请稍后重试", "The server is busy; try again shortly"},
        request);
    busy.Set("Retry-After", "5");
    co_await Respond(connection, request, std::move(busy), version, true, start);
    co_return;
  }
  if (request.method == Method::kHead) {
    co_await Respond(connection, request, std::move(response), version, true, start);
    co_return;
  }
  const Framing framing = version >= 11 ? Framing::kChunked : Framing::kUntilClose;
  std::string head = SerializeHead(request, response, version, true, framing);
  connection.stream.expires_after(options.body_timeout);
  auto [head_error, head_bytes] =
      co_await asio::async_write(connection.stream, asio::buffer(head), kNoThrow);
  uint64_t sent = 0;
  if (!head_error) {
    auto executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor);
    connection.stream_timer = timer.get();
    // Called by producers on their own threads: the timer is touched only on this one.
    body->Attach([executor, weak = std::weak_ptr<asio::steady_timer>(timer)] {
      asio::post(executor, [weak] {
        if (auto waiting = weak.lock()) waiting->cancel();
      });
    });
    // A client of a stream sends nothing more, so a read that ends means it has gone away; the
    // read and the writer each cancel the other when they finish.
    auto hang_up = [](Connection& watched) -> asio::awaitable<void> {
      char discard[256];
      for (;;) {
        auto [ec, n] =
            co_await watched.stream.socket().async_read_some(asio::buffer(discard), kNoThrow);
        if (ec) co_return;
      }
    };
    using namespace asio::experimental::awaitable_operators;
    co_await (Pump(connection, *body, *timer, framing, sent) || hang_up(connection));
    connection.stream_timer = nullptr;
  }
  LogAccess(request, response.status, sent, start);
}

asio::awaitable<void> Server::Impl::Pump(Connection& connection, BodyStream& body,
                                         asio::steady_timer& timer, Framing framing,
                                         uint64_t& sent) {
  auto cancelled = [](const asio::cancellation_state& state) {
    return state.cancelled() != asio::cancellation_type::none;
  };
  for (;;) {
    BodyStream::Pending pending = body.Take();
    if (!pending.bytes.empty()) {
      if (!co_await WriteChunk(connection, pending.bytes, framing)) co_return;
      sent += pending.bytes.size();
    }
    if (pending.over || stopping) break;
    timer.expires_after(options.stream_idle_interval);
    auto [wait_error] = co_await timer.async_wait(kNoThrow);
    if (cancelled(co_await asio::this_coro::cancellation_state)) co_return;
    if (!wait_error && !body.idle_chunk().empty()) {
      if (!co_await WriteChunk(connection, body.idle_chunk(), framing)) co_return;
      sent += body.idle_chunk().size();
    }
  }
  if (framing == Framing::kChunked) {
    static constexpr std::string_view kLastChunk = "0\r\n\r\n";
    connection.stream.expires_after(options.body_timeout);
    co_await asio::async_write(connection.stream,
                               asio::buffer(kLastChunk.data(), kLastChunk.size()), kNoThrow);
  }
}

asio::awaitable<bool> Server::Impl::WriteChunk(Connection& connection, std::string_view bytes,
                                               Framing framing) {
  std::string size_line;
  if (framing == Framing::kChunked) {
    char hex[20];
    auto [end, ec] = std::to_chars(hex, hex + sizeof hex, bytes.size(), 16);
    size_line.assign(hex, end);
    size_line += "\r\n";
  }
  static constexpr std::string_view kCrlf = "\r\n";
  std::array<asio::const_buffer, 3> buffers{
      asio::buffer(size_line), asio::buffer(bytes.data(), bytes.size()),
      asio::buffer(kCrlf.data(), framing == Framing::kChunked ? kCrlf.size() : 0)};
  connection.stream.expires_after(options.body_timeout);
  auto [ec, n] = co_await asio::async_write(connection.stream, buffers, kNoThrow);
  co_return !ec;
}

std::string Server::Impl::SerializeHead(const Request& request, Response& response,
                                        unsigned version, bool close, Framing framing) const {
  if (response.status < 200 || response.status > 599) {
    spdlog::error("http: handler for {} returned status {}", RawPath(request.target),
                  response.status);
    response = ProblemResponse(Internal("invalid status"), request);
  }
  std::string head;
  head.reserve(512);
  head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  head += reason;
  head += "\r\n";
  auto append = [&head](std::string_view name, std::string_view value) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  };
  for (const auto& [name, value] : response.headers) {
    if (IsFramingHeader(name)) continue;
    if (!IsSafeHeader(name, value)) {
      spdlog::error("http: dropped unsafe response header {:?} for {}", name,
                    RawPath(request.target));
      continue;
    }
    append(name, value);
  }
  auto append_default = [&](std::string_view name, std::string_view value) {
    if (response.headers.find(name) == response.headers.end()) append(name, value);
  };
  append_default("Content-Security-Policy", kContentSecurityPolicy);
  append_default("X-Content-Type-Options", "nosniff");
  append_default("X-Frame-Options", "DENY");
  append_default("Referrer-Policy", "no-referrer");
  std::string_view path = request.path.empty() ? RawPath(request.target) : request.path;
  // API responses carry customer data; no browser or proxy cache may keep them.
  if (IsApiPath(path)) append_default("Cache-Control", "no-store");
  append("X-Request-Id", request.request_id);
  // RFC 9110 §8.6: 204 and 304 carry no body and, for 204, no Content-Length.
  bool bodiless = response.status == 204 || response.status == 304;
  if (bodiless) {
    response.body.clear();
  } else if (framing == Framing::kChunked) {
    append("Transfer-Encoding", "chunked");
  } else if (framing == Framing::kLength) {
    append("Content-Length", std::to_string(response.body.size()));
  }
  if (close) {
    append("Connection", "close");
  } else if (version == 10) {
    append("Connection", "keep-alive");
  }
  head += "\r\n";
  return head;
}

asio::awaitable<bool> Server::Impl::Respond(Connection& connection, Request& request,
                                            Response response, unsigned version, bool close,
                                            Clock::time_point start) {
  // The response is written as one header block and the body in a single gathered write; the
  // header text is built here rather than by Beast's serializer, which is the costliest part of
  // a small response.
  std::string head = SerializeHead(request, response, version, close);
  // HEAD describes the GET response (same Content-Length) without sending its body.
  const bool head_only = request.method == Method::kHead;
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head),
                                            asio::buffer(response.body.data(),
                                                         head_only ? 0 : response.body.size())};
  connection.stream.expires_after(options.body_timeout);
  auto [ec, n] = co_await asio::async_write(connection.stream, buffers, kNoThrow);
  LogAccess(request, response.status, head_only || ec ? 0 : response.body.size(), start);
  co_return !ec;
}

void Server::Impl::LogAccess(const Request& request, int status, uint64_t bytes_out,
                             Clock::time_point start) const {
  if (!access_log) return;
  std::chrono::duration<double, std::milli> elapsed = Clock::now() - start;
  AccessLogEntry entry;
  entry.time = std::chrono::system_clock::now();
  entry.request_id = request.request_id;
  entry.method = MethodName(request.method);
  entry.path = RawPath(request.target);
  entry.status = status;
  entry.bytes_out = bytes_out;
  entry.duration_ms = elapsed.count();
  entry.remote_ip = request.remote_ip;
  entry.user_agent = request.Header("User-Agent").value_or("");
  std::string line = FormatAccessLogLine(entry);
  access_log->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
}

Server::Server(ServerOptions options, const Router& router,
               std::shared_ptr<spdlog::logger> access_log)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(access_log))) {}

Server::~Server() = default;

Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->bound_port; }

void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }

void Server::Stop() { impl_->Stop(); }

}  // namespace oc::http
