#include "app/notifier.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/crypto/hmac_sha256.h"

namespace sentinel::app {

NotifierConfig NotifierConfigFrom(const Settings& s) {
  NotifierConfig c;
  c.targets = s.notification_targets;
  c.max_attempts = s.notification_max_attempts;
  c.backoff_ms = s.notification_backoff_ms;
  c.timeout_ms = s.notification_timeout_ms;
  c.dashboard_url = s.dashboard_url;
  return c;
}

OutboxFn OutboxFor(NotifierConfig config) {
  return [config = std::move(config)](const notify::Notification& n) {
    std::vector<OutboxItem> items;
    notify::Notification full = n;
    if (full.link.empty() && full.incident_id && !config.dashboard_url.empty())
      full.link = config.dashboard_url + "/incidents/" + std::to_string(*full.incident_id);
    const std::string body = notify::ToJsonBody(full);
    for (const NotificationTarget& t : config.targets) {
      if (std::find(t.events.begin(), t.events.end(), n.event) == t.events.end()) continue;
      OutboxItem item;
      item.target = t.name;
      item.url = t.url;
      item.event = n.event;
      item.payload = body;
      item.incident_id = n.incident_id;
      items.push_back(std::move(item));
    }
    return items;
  };
}

Result<int> Notify(NotificationStore& store, const NotifierConfig& config, const notify::Notification& n,
                   EpochMs now) {
  int written = 0;
  for (const OutboxItem& item : OutboxFor(config)(n)) {
    auto id = store.Enqueue(item, now);
    if (!id) return Fail(id.error());
    ++written;
  }
  return written;
}

EpochMs BackoffMs(const NotifierConfig& config, int attempts) {
  EpochMs delay = config.backoff_ms;
  for (int i = 1; i < attempts && delay < config.max_backoff_ms; ++i) delay *= 2;
  return std::min(delay, config.max_backoff_ms);
}

Result<int> DeliverDue(NotificationStore& store, const NotifierConfig& config, const PostFn& post,
                       const Clock& clock) {
  auto due = store.Due(clock.Now(), 50);
  if (!due) return Fail(due.error());
  int attempted = 0;
  for (OutboxItem item : *due) {
    // Held for the attempt (timeout plus slack): another deliverer skips it meanwhile, and
    // picks it up again if this process dies mid-attempt.
    auto claimed = store.Claim(item, clock.Now() + config.timeout_ms + 30'000);
    if (!claimed) return Fail(claimed.error());
    if (!*claimed) continue;
    std::string headers = "X-Sentinel-Event: " + item.event + "\r\nUser-Agent: sentinel-notifier\r\n";
    for (const NotificationTarget& t : config.targets)
      if (t.name == item.target && !t.secret.empty())
        headers += "X-Sentinel-Signature-256: sha256=" +
                   crypto::ToHex(crypto::HmacSha256(t.secret, item.payload)) + "\r\n";
    auto status = post(item.url, item.payload, headers, config.timeout_ms);
    ++attempted;
    const EpochMs now = clock.Now();
    item.attempts += 1;
    if (status && *status >= 200 && *status < 300) {
      item.status = "delivered";
      item.last_status = *status;
      item.last_error.clear();
      item.delivered_at = now;
    } else {
      item.last_status = status ? std::optional<int>(*status) : std::nullopt;
      item.last_error = status ? "the receiver answered HTTP " + std::to_string(*status) : status.error().message;
      if (item.attempts >= config.max_attempts) {
        item.status = "failed";
      } else {
        item.status = "pending";
        item.next_attempt_at = now + BackoffMs(config, item.attempts);
      }
    }
    if (Status st = store.RecordAttempt(item, now); !st) return Fail(st.error());
  }
  return attempted;
}

DeliveryLoop::DeliveryLoop(NotificationStore& store, NotifierConfig config, PostFn post, const Clock& clock,
                           EpochMs poll_ms, std::function<void(const std::string&)> log)
    : thread_([&store, config = std::move(config), post = std::move(post), &clock, poll_ms,
               log = std::move(log)](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        while (!stop.stop_requested()) {
          auto n = DeliverDue(store, config, post, clock);
          if (!n && log) log("notification delivery: " + n.error().message);
          cv.wait_for(lock, stop, std::chrono::milliseconds(poll_ms), [] { return false; });
        }
      }) {}

DeliveryLoop::~DeliveryLoop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sentinel::app
