#pragma once
// A response body written over time: the server sends the head at once and then each chunk the
// producer writes, until the producer ends it, the client goes away, the client falls too far
// behind, or the server stops (graceful shutdown ends every open stream). Server-Sent Events are
// such a body; nothing here knows their format.
//
// A handler makes one, hands it to whatever will produce the body (registering OnEnd to hear when
// it is over), and returns it in Response::stream. Writes made before the server has sent the
// head are queued and go out right after it. While nothing is written for the server's stream
// idle interval, the server writes `idle_chunk` (a comment, for Server-Sent Events) so that
// proxies and load balancers keep the connection open, and so that a client that vanished
// without a word is noticed.
//
// Thread-safety: every member may be called from any thread. Write never blocks beyond a short
// lock, so a producer may write from under its own locks; OnEnd callbacks run on the server's
// network thread when the response is over (never inside Write), and must not block either.

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace oc::http {

class BodyStream {
 public:
  // `max_queued_bytes` bounds what may wait to be sent: a client that reads slower than the
  // producer writes has its stream ended rather than held in memory without limit.
  explicit BodyStream(std::string idle_chunk, size_t max_queued_bytes = 1024 * 1024);

  BodyStream(const BodyStream&) = delete;
  BodyStream& operator=(const BodyStream&) = delete;

  // Queues `chunk` for sending. Returns false, dropping the chunk, once the stream is over or
  // when the chunk would overflow the queue (which ends the stream). An empty chunk is a no-op.
  bool Write(std::string chunk);

  // Ends the stream from the producer's side: what is queued is still sent, then the response
  // ends.
  void End();

  // Runs `callback` once the response is over, whatever ended it. REQUIRES: called before the
  // handler returns the stream to the server.
  void OnEnd(std::function<void()> callback);

  const std::string& idle_chunk() const { return idle_chunk_; }

  // --- The server's side. ---

  // What the server should do next: send `bytes` (possibly none) and, when `over`, end.
  struct Pending {
    std::string bytes;
    bool over = false;
  };

  // Registers how to wake the server's writer: called, under this stream's lock, whenever a
  // chunk is queued or the producer ends the stream. It must not block or call back into the
  // stream. Pending writes wake it at once.
  void Attach(std::function<void()> wake);
  Pending Take();
  // The response is over: later writes are refused, the wake-up is dropped, and the OnEnd
  // callbacks run on the calling thread. Idempotent.
  void Finish();

 private:
  const std::string idle_chunk_;
  const size_t max_queued_bytes_;
  std::mutex mu_;
  std::string queued_;
  bool ended_ = false;     // by the producer, or by an overflow
  bool finished_ = false;  // by the server
  std::function<void()> wake_;
  std::vector<std::function<void()>> on_end_;
};

}  // namespace oc::http
