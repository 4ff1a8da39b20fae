#include "app/health.h"

namespace sentinel::app {

HealthReport CheckHealth(const HealthProbes& probes) {
  HealthReport report;
  report.version = probes.version;
  if (probes.db == nullptr) {
    report.database_error = "no database configured";
  } else if (Status st = probes.db->Ping(); st) {
    report.database_ok = true;
  } else {
    report.database_error = st.error().message;
  }
  if (!probes.queue) {
    report.queue_ok = true;
  } else if (Status st = probes.queue(); st) {
    report.queue_ok = true;
  } else {
    report.queue_error = st.error().message;
  }
  report.workers = probes.workers ? probes.workers() : 0;
  if (report.database_ok && probes.stale_writes) report.stale_writes = probes.stale_writes();
  return report;
}

}  // namespace sentinel::app
