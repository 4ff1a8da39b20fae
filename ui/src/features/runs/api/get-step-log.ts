import { api } from '@/lib/api-client';

export interface LogChunk {
  bytes: ArrayBuffer;
  nextOffset: number;
  complete: boolean;
  size: number;
}

// GET /runs/{id}/steps/{index}/log?offset=N: the bytes from N on, where to continue, and
// whether the step has ended (X-Next-Offset, X-Log-Complete, X-Log-Size).
export async function getStepLog(runId: number, step: number, offset: number, signal?: AbortSignal): Promise<LogChunk> {
  const raw = await api.raw(`/runs/${runId}/steps/${step}/log`, offset > 0 ? { offset } : undefined, signal);
  const next = Number(raw.headers.get('X-Next-Offset'));
  return {
    bytes: raw.body,
    nextOffset: Number.isFinite(next) && raw.headers.has('X-Next-Offset') ? next : offset + raw.body.byteLength,
    complete: raw.headers.get('X-Log-Complete') !== 'false',
    size: Number(raw.headers.get('X-Log-Size') ?? 0),
  };
}
