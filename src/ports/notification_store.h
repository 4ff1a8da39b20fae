#pragma once
// The outbox of outgoing notifications (webhooks out): one row per (event,
// target), written when the event happens and delivered later by a separate
// loop with retries, so no receiver can slow what produced the event. Every
// attempt is recorded (status, attempts, last error); a final outcome of an
// incident's notification is also appended to the incident's timeline.
// Thread-safe; several delivering processes claim rows with a compare-and-set.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"
#include "core/notify/notification.h"

namespace sentinel {

struct OutboxItem {
  std::int64_t id = 0;
  std::string target;  // the target's name
  std::string url;
  std::string event;
  std::string payload;  // the JSON body
  std::optional<std::int64_t> incident_id;
  std::string status = "pending";  // pending, delivered, failed
  int attempts = 0;
  EpochMs next_attempt_at = 0;
  std::string last_error;
  std::optional<int> last_status;  // the receiver's HTTP status of the last attempt
  EpochMs created_at = 0;
  std::optional<EpochMs> delivered_at;
};

// What an event's producer writes to the outbox for notification n: one row per
// target subscribed to n.event (none when nothing is configured). Pure over its
// configuration; called inside the producer's transaction, so it must not block.
using OutboxFn = std::function<std::vector<OutboxItem>(const notify::Notification& n)>;

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;
  // A pending row due at `now`. Returns its id.
  [[nodiscard]] virtual Result<std::int64_t> Enqueue(const OutboxItem& item, EpochMs now) = 0;
  // Pending rows with next_attempt_at <= now, oldest first.
  [[nodiscard]] virtual Result<std::vector<OutboxItem>> Due(EpochMs now, int limit) = 0;
  // Compare-and-set: takes the row for one attempt (next_attempt_at := lease_until) when it is still
  // pending with the next_attempt_at read by Due. false when another deliverer took it.
  [[nodiscard]] virtual Result<bool> Claim(const OutboxItem& item, EpochMs lease_until) = 0;
  // Records an attempt: status delivered / failed (final) or pending (retry at next_attempt_at).
  // A final outcome of a row with an incident adds an incident_events row (kind notification_delivered
  // or notification_failed).
  [[nodiscard]] virtual Status RecordAttempt(const OutboxItem& after, EpochMs now) = 0;
  // Every row of an incident, oldest first.
  [[nodiscard]] virtual Result<std::vector<OutboxItem>> ForIncident(std::int64_t incident_id) = 0;
  [[nodiscard]] virtual Result<OutboxItem> Get(std::int64_t id) = 0;
};

}  // namespace sentinel
