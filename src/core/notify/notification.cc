#include "core/notify/notification.h"

#include <cstdio>

namespace sentinel::notify {
namespace {

std::string EventTitle(const std::string& event) {
  if (event == "incident_opened") return "Incident opened";
  if (event == "incident_escalated") return "Incident escalated";
  if (event == "incident_resolved") return "Incident resolved";
  if (event == "flaky_detected") return "Flaky test detected";
  return event;
}

}  // namespace

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string SlackText(const Notification& n) {
  std::string text = "*";
  if (!n.severity.empty()) text += "[" + n.severity + "] ";
  text += EventTitle(n.event) + "*: " + n.title;
  if (!n.impact.empty()) text += "\nImpact: " + n.impact;
  if (!n.root_cause.empty()) text += "\nRoot cause: " + n.root_cause;
  if (!n.link.empty()) text += "\n<" + n.link + "|Open in Sentinel>";
  return text;
}

std::string ToJsonBody(const Notification& n) {
  std::string out = "{\"event\":" + JsonQuote(n.event) + ",\"title\":" + JsonQuote(n.title) +
                    ",\"severity\":" + (n.severity.empty() ? "null" : JsonQuote(n.severity)) +
                    ",\"impact\":" + JsonQuote(n.impact) + ",\"root_cause\":" + JsonQuote(n.root_cause) +
                    ",\"link\":" + JsonQuote(n.link) + ",\"incident_id\":" +
                    (n.incident_id ? std::to_string(*n.incident_id) : "null") + ",\"text\":" + JsonQuote(SlackText(n)) +
                    "}";
  return out;
}

}  // namespace sentinel::notify
