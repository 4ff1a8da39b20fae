#include "adapters/sqlstore/sql_notification_store.h"

namespace sentinel::sqlstore {
namespace {

constexpr char kColumns[] =
    "id, target, url, event, payload, incident_id, status, attempts, next_attempt_at, last_error, last_status, "
    "created_at, delivered_at";

OutboxItem FromRow(const SqlRow& r) {
  OutboxItem o;
  o.id = r.Int(0);
  o.target = r.Text(1);
  o.url = r.Text(2);
  o.event = r.Text(3);
  o.payload = r.Text(4);
  o.incident_id = r.OptInt(5);
  o.status = r.Text(6);
  o.attempts = static_cast<int>(r.Int(7));
  o.next_attempt_at = r.Int(8);
  o.last_error = r.Text(9);
  if (auto s = r.OptInt(10)) o.last_status = static_cast<int>(*s);
  o.created_at = r.Int(11);
  o.delivered_at = r.OptInt(12);
  return o;
}

SqlValue Opt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }

std::vector<OutboxItem> Items(const SqlResult& r) {
  std::vector<OutboxItem> out;
  for (const SqlRow& row : r.rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace

Result<std::int64_t> InsertOutboxRow(SqlSession& s, const OutboxItem& item, EpochMs now) {
  auto r = s.Exec(
      "INSERT INTO notifications (target, url, event, payload, incident_id, status, attempts, next_attempt_at, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6) RETURNING id",
      {item.target, item.url, item.event, item.payload, Opt(item.incident_id), now});
  if (!r) return Fail(r.error());
  return r->rows.at(0).Int(0);
}

Result<std::int64_t> SqlNotificationStore::Enqueue(const OutboxItem& item, EpochMs now) {
  return InsertOutboxRow(db_, item, now);
}

Result<std::vector<OutboxItem>> SqlNotificationStore::Due(EpochMs now, int limit) {
  auto r = db_.Exec(std::string("SELECT ") + kColumns +
                        " FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1 "
                        "ORDER BY next_attempt_at, id LIMIT $2",
                    {now, static_cast<std::int64_t>(limit)});
  if (!r) return Fail(r.error());
  return Items(*r);
}

Result<bool> SqlNotificationStore::Claim(const OutboxItem& item, EpochMs lease_until) {
  auto r = db_.Exec(
      "UPDATE notifications SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2",
      {item.id, item.next_attempt_at, lease_until});
  if (!r) return Fail(r.error());
  return r->affected == 1;
}

Status SqlNotificationStore::RecordAttempt(const OutboxItem& o, EpochMs now) {
  return db_.Transact([&](SqlSession& s) -> Status {
    auto up = s.Exec(
        "UPDATE notifications SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, "
        "last_status = $6, delivered_at = $7, updated_at = $8 WHERE id = $1",
        {o.id, o.status, static_cast<std::int64_t>(o.attempts), o.next_attempt_at, o.last_error,
         o.last_status ? SqlValue(static_cast<std::int64_t>(*o.last_status)) : SqlValue(nullptr), Opt(o.delivered_at),
         now});
    if (!up) return Fail(up.error());
    if (!o.incident_id || o.status == "pending") return Ok();
    const bool ok = o.status == "delivered";
    const std::string message =
        std::string(ok ? "notified " : "could not notify ") + o.target + " of " + o.event + " after " +
        std::to_string(o.attempts) + (o.attempts == 1 ? " attempt" : " attempts") +
        (ok ? "" : ": " + o.last_error);
    auto ev = s.Exec("INSERT INTO incident_events (incident_id, at, kind, message) VALUES ($1, $2, $3, $4)",
                     {*o.incident_id, now, std::string(ok ? "notification_delivered" : "notification_failed"), message});
    if (!ev) return Fail(ev.error());
    return Ok();
  });
}

Result<std::vector<OutboxItem>> SqlNotificationStore::ForIncident(std::int64_t incident_id) {
  auto r = db_.Exec(std::string("SELECT ") + kColumns + " FROM notifications WHERE incident_id = $1 ORDER BY id",
                    {incident_id});
  if (!r) return Fail(r.error());
  return Items(*r);
}

Result<OutboxItem> SqlNotificationStore::Get(std::int64_t id) {
  auto r = db_.Exec(std::string("SELECT ") + kColumns + " FROM notifications WHERE id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no notification with id " + std::to_string(id), "id");
  return FromRow(r->rows[0]);
}

}  // namespace sentinel::sqlstore
