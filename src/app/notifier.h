#pragma once
// Webhooks out. Notify() is what an event's producer calls (incident opened,
// escalated, resolved; flaky test detected): it only writes one outbox row per
// subscribed target, so it never waits on a receiver. A DeliveryLoop (in `up`
// and `api`) posts due rows on its own thread with a per-attempt timeout,
// retrying failures with exponential backoff until max_attempts, and records
// every attempt (ports/notification_store.h). A dead or slow receiver delays
// only later deliveries, never a run. Thread-safe as the store and post are.

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/base/result.h"
#include "core/config/settings.h"
#include "core/notify/notification.h"
#include "ports/clock.h"
#include "ports/notification_store.h"

namespace sentinel::app {

struct NotifierConfig {
  std::vector<NotificationTarget> targets;
  int max_attempts = 6;
  EpochMs backoff_ms = 2000;        // before the 2nd attempt; doubles, capped at max_backoff_ms
  EpochMs max_backoff_ms = 300000;
  EpochMs timeout_ms = 5000;        // per attempt
  std::string dashboard_url;        // base of the links (Notification::link is made from it when empty)
};

NotifierConfig NotifierConfigFrom(const Settings& settings);

// Posts body to url with extra header lines; the receiver's HTTP status, or an
// error when it cannot be reached or does not answer within timeout_ms.
using PostFn = std::function<Result<int>(const std::string& url, const std::string& body,
                                         const std::string& headers, EpochMs timeout_ms)>;

// The outbox rows of n: one per target subscribed to n.event, with the body
// (its link made from dashboard_url when empty). What an incident store is
// built with, so that a transition writes its rows in its own transaction.
OutboxFn OutboxFor(NotifierConfig config);

// Queues n for every target subscribed to n.event; returns how many rows were written.
[[nodiscard]] Result<int> Notify(NotificationStore& store, const NotifierConfig& config,
                                 const notify::Notification& n, EpochMs now);

// The delay before attempt number `attempts + 1` after `attempts` failed ones.
EpochMs BackoffMs(const NotifierConfig& config, int attempts);

// Attempts every due row once (claimed first, so several deliverers never
// post the same attempt). Returns how many were attempted.
[[nodiscard]] Result<int> DeliverDue(NotificationStore& store, const NotifierConfig& config, const PostFn& post,
                                     const Clock& clock);

// DeliverDue every poll_ms on a thread until destroyed.
class DeliveryLoop {
 public:
  DeliveryLoop(NotificationStore& store, NotifierConfig config, PostFn post, const Clock& clock, EpochMs poll_ms,
               std::function<void(const std::string&)> log = {});
  ~DeliveryLoop();
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace sentinel::app
