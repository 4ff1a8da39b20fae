// GET /overview (issue 8). The server's field names are read through normalizeOverview, which
// accepts the documented figures under their likely spellings and leaves absent ones null.

export interface TrendPoint {
  day: string;
  runs: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
}

export interface TopCluster {
  id: number;
  title: string;
  category: string;
  occurrences: number;
  last_seen?: string;
}

export interface Overview {
  runsByStatus: Record<string, number>;
  successRate: number | null;
  trend: TrendPoint[];
  mttrMs: number | null;
  queueDepth: number | null;
  busyWorkers: number | null;
  idleWorkers: number | null;
  openIncidents: number | null;
  incidentsBySeverity: Record<string, number>;
  flakyTests: number | null;
  topClusters: TopCluster[];
  explainedShare: number | null;
  generatedAt: string | null;
}

type Raw = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Raw | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null);
const first = (r: Raw, ...keys: string[]): unknown => {
  for (const k of keys) {
    const path = k.split('.');
    let cur: unknown = r;
    for (const p of path) cur = obj(cur)?.[p];
    if (cur !== undefined && cur !== null) return cur;
  }
  return undefined;
};

function counts(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const o = obj(v);
  if (o) for (const [k, x] of Object.entries(o)) if (num(x) !== null) out[k] = x as number;
  if (Array.isArray(v)) for (const e of v) {
    const eo = obj(e);
    const k = eo && (eo.status ?? eo.severity ?? eo.name);
    const n = eo && num(eo.count ?? eo.n ?? eo.runs);
    if (typeof k === 'string' && n !== null) out[k] = n;
  }
  return out;
}

export function normalizeOverview(raw: Raw): Overview {
  const trendRaw = first(raw, 'daily_trend', 'trend', 'success_rate_trend');
  const trend: TrendPoint[] = Array.isArray(trendRaw)
    ? trendRaw.map((t) => {
        const o = obj(t) ?? {};
        const runs = num(o.runs ?? o.total ?? o.finished) ?? 0;
        const succeeded = num(o.succeeded ?? o.success ?? o.passed) ?? 0;
        const failed = num(o.failed ?? o.failures) ?? Math.max(0, runs - succeeded);
        const rate = num(o.success_rate ?? o.rate) ?? (runs > 0 ? succeeded / runs : null);
        return { day: String(o.day ?? o.date ?? ''), runs, succeeded, failed, success_rate: rate };
      })
    : [];
  const clustersRaw = first(raw, 'top_clusters', 'clusters');
  const topClusters: TopCluster[] = Array.isArray(clustersRaw)
    ? clustersRaw.map((c) => {
        const o = obj(c) ?? {};
        return {
          id: num(o.id ?? o.cluster_id) ?? 0,
          title: String(o.title ?? o.signature ?? ''),
          category: String(o.category ?? ''),
          occurrences: num(o.occurrences ?? o.count ?? o.runs) ?? 0,
          last_seen: typeof o.last_seen === 'string' ? o.last_seen : undefined,
        };
      })
    : [];
  const incidents = first(raw, 'open_incidents', 'incidents');
  const incidentsObj = obj(incidents);
  const bySeverity = counts(incidentsObj?.by_severity ?? first(raw, 'open_incidents_by_severity') ?? (incidentsObj && !('total' in incidentsObj) ? incidentsObj : undefined));
  const openIncidents =
    num(incidents) ?? num(incidentsObj?.total ?? incidentsObj?.open) ?? (Object.keys(bySeverity).length ? Object.values(bySeverity).reduce((a, b) => a + b, 0) : null);
  const mttrS = num(first(raw, 'mttr_seconds', 'mean_time_to_recovery_seconds', 'mttr.seconds'));
  const mttrMs = num(first(raw, 'mttr_ms', 'mean_time_to_recovery_ms', 'mttr.ms', 'mttr.mean_ms')) ?? (mttrS !== null ? mttrS * 1000 : null);
  const flaky = first(raw, 'flaky_tests', 'flaky');
  return {
    runsByStatus: counts(first(raw, 'runs_by_status', 'runs.by_status', 'runs')),
    successRate: num(first(raw, 'success_rate', 'runs.success_rate')),
    trend,
    mttrMs,
    queueDepth: num(first(raw, 'queue_depth', 'queue.depth')),
    busyWorkers: num(first(raw, 'busy_workers', 'workers.busy')),
    idleWorkers: num(first(raw, 'idle_workers', 'workers.idle')),
    openIncidents,
    incidentsBySeverity: bySeverity,
    flakyTests: num(flaky) ?? num(obj(flaky)?.count ?? obj(flaky)?.flaky ?? obj(flaky)?.total),
    topClusters,
    explainedShare: num(first(raw, 'explained_share', 'explained_failure_share', 'failures.explained_share', 'signature_explained_share')),
    generatedAt: (first(raw, 'generated_at', 'at') as string | undefined) ?? null,
  };
}
