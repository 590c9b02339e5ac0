#pragma once
// The HTTP/1.1 server: Boost.Beast on Boost.Asio with C++20 coroutines. One network thread per
// core accepts and parses; handlers run on worker pools (unless a route says it never blocks), so
// database and password-hashing work never stalls a network thread. Requests that read (GET,
// HEAD) run on a pool sized for computing; requests that change data (POST, PUT, PATCH, DELETE)
// on a larger pool of their own, because they mostly wait for their transaction's group commit
// and the more of them wait together, the more share one disk flush — without adding runnable
// threads to the read path.
//
// Bodies are bounded per route and in total, and a route's admission check (the API guard: is
// there a session?) runs before its body is read, so nobody can make the server hold bodies it
// would refuse.
//
// Every response gets the security headers (CSP, X-Content-Type-Options, frame-ancestors,
// Referrer-Policy) and an X-Request-Id; every request is written to the access log as one JSON
// line (method, path without query, status, bytes, duration, request id, client ip — never
// bodies, cookies or authorization headers).
//
// A response with a BodyStream (Server-Sent Events) keeps its connection for as long as the
// stream lasts; the connection is closed after it. Open streams are bounded in total, and each
// gets the stream's idle chunk whenever it has been silent for stream_idle_interval.
//
// Stop(): stops accepting, ends every open stream, lets in-flight requests finish within the
// grace period, then closes everything. Run() returns after that.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"
#include "http/router.h"

namespace spdlog {
class logger;
}

namespace oc::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (tests)
  int network_threads = 0;  // 0: one per core
  int worker_threads = 0;   // reads; 0: twice the cores, at least 4 (see DefaultWorkerThreads)
  int write_threads = 0;    // writes; 0: 64 (see DefaultWriteThreads)
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  // Bodies received and not yet answered, over all connections: a request whose declared length
  // (or, when chunked, its route's limit) does not fit is answered 503 before its body is read,
  // so the memory that bodies hold stays bounded however many clients upload at once.
  size_t max_buffered_body_bytes = 128 * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // to receive a complete request header
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connection with no request
  std::chrono::milliseconds body_timeout{60'000};    // to receive the body
  std::chrono::milliseconds shutdown_grace{20'000};
  // Streaming responses open at once, over all connections; one more is answered 503.
  size_t max_streams = 10'000;
  // Proxies commonly drop a connection silent for 30 to 60 seconds.
  std::chrono::milliseconds stream_idle_interval{15'000};
  // When set, GET requests that match no route are served from this directory (the built web
  // app): hashed assets under /assets/ with a year-long immutable cache, any other unknown path
  // that does not start with /api/ gets index.html (client-side routing).
  std::string static_dir;
};

class Server {
 public:
  // `access_log` may be null (no access log). Each request is logged as one message holding a
  // whole JSON object, so a logger with the pattern "%v" writes pure JSON lines. `router` must
  // outlive the server.
  Server(ServerOptions options, const Router& router, std::shared_ptr<spdlog::logger> access_log);
  ~Server();

  // Binds and starts listening. Errors: kUnavailable when the address cannot be bound;
  // kInvalidArgument when static_dir is set but is not a directory.
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Serves until Stop() or SIGTERM/SIGINT (when `handle_signals`), then shuts down gracefully.
  // Returns at the latest shutdown_grace after the stop; a handler still running then finishes on
  // the worker pool before the destructor returns. REQUIRES: Start() succeeded; called once.
  void Run(bool handle_signals);
  // Thread-safe; may be called from any thread or a signal handler context via Asio.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oc::http
