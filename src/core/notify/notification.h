#pragma once
// An outgoing notification (webhooks out) and its wire body: a JSON object
// with event, title, severity, impact, root_cause, link, incident_id, and a
// Slack-compatible `text` (mrkdwn) summarising them. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>

namespace sentinel::notify {

struct Notification {
  std::string event;       // incident_opened, incident_escalated, incident_resolved, flaky_detected
  std::string title;
  std::string severity;    // "" when the event has none
  std::string impact;      // one sentence: runs and repositories affected
  std::string root_cause;  // the suspected root cause, with its confidence
  std::string link;        // the dashboard page of the incident or test
  std::optional<std::int64_t> incident_id;
};

// The JSON body posted to every target.
std::string ToJsonBody(const Notification& n);

// The Slack mrkdwn line(s): "*[major] Incident opened*: title\nImpact: ...\nRoot cause: ...\n<link|Open in Sentinel>".
std::string SlackText(const Notification& n);

// A JSON string literal (quotes included), escaping what JSON requires.
std::string JsonQuote(const std::string& s);

}  // namespace sentinel::notify
