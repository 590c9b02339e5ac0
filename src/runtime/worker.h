#pragma once
// A background thread that repeats a step: at once while the step finds work, otherwise after an
// idle wait that Wake() cuts short. The dispatcher and the scheduler each run their loops on one.
//
// Thread-safety: Start, Stop, Wake and stopping may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.h"

namespace oc::runtime {

class Worker {
 public:
  // `step` returns how many items it handled; an error (the database restarting) counts as none,
  // so the worker waits before trying again instead of spinning.
  Worker(std::function<Result<int>()> step, std::chrono::milliseconds idle_wait)
      : step_(std::move(step)), idle_wait_(idle_wait) {}
  ~Worker() { Stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Idempotent.
  void Start();
  // Ends the thread after the step under way. Idempotent.
  void Stop();
  void Wake();
  // Whether Stop was called: a long step checks it between items.
  bool stopping() const;

 private:
  void Loop();

  const std::function<Result<int>()> step_;
  const std::chrono::milliseconds idle_wait_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace oc::runtime
