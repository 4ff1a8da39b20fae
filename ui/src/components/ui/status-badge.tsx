import { humanize } from '@/lib/format';

const TONE: Record<string, string> = {
  succeeded: 'ok', passed: 'ok', stable: 'ok', resolved: 'ok', ok: 'ok',
  failed: 'bad', error: 'bad', errored: 'bad', timed_out: 'bad', failing: 'bad', open: 'bad', critical: 'bad', high: 'bad', down: 'bad',
  running: 'info', queued: 'muted', pending: 'muted', skipped: 'muted', cancelled: 'muted', insufficient: 'muted', low: 'muted',
  flaky: 'warn', mitigating: 'warn', medium: 'warn', major: 'warn', minor: 'muted', degraded: 'warn', quarantined: 'warn',
};

export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const s = status ?? 'unknown';
  return (
    <span className={`badge tone-${TONE[s] ?? 'muted'}`} data-status={s}>
      {label ?? humanize(s)}
    </span>
  );
}
