import { Link } from 'react-router-dom';
import { formatPercent, humanize } from '@/lib/format';
import type { Failure } from '../types';

interface Props {
  failure: Failure;
  stepName: string;
  onJump: (step: number, line: number) => void;
}

export function FailureCard({ failure: f, stepName, onJump }: Props) {
  const remediation = Array.isArray(f.remediation) ? f.remediation : f.remediation ? [f.remediation] : [];
  const hints = Array.isArray(f.hints) ? f.hints : [];
  return (
    <article className="card failure" data-category={f.category}>
      <header>
        <span className="category">{humanize(f.category)}</span>
        {f.flaky && <span className="badge tone-warn">flaky failure</span>}
        <h3>{f.title || humanize(f.category)}</h3>
      </header>
      <dl className="facts">
        <div>
          <dt>Step</dt>
          <dd>{stepName}</dd>
        </div>
        <div>
          <dt>Signature</dt>
          <dd>
            <code>{f.signature || '—'}</code>
          </dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>{formatPercent(f.confidence)}</dd>
        </div>
        <div>
          <dt>Cluster</dt>
          <dd>{f.cluster_id ? <Link to={`/clusters/${f.cluster_id}`}>#{f.cluster_id}</Link> : '—'}</dd>
        </div>
      </dl>
      {f.evidence.length > 0 && (
        <div className="evidence">
          <h4>Evidence</h4>
          <ol>
            {f.evidence.map((e, i) => (
              <li key={`${e.line ?? 'n'}-${i}`}>
                {e.line !== null ? (
                  <button type="button" className="link line-no" onClick={() => onJump(f.step_index, e.line as number)} aria-label={`Jump to line ${e.line} of ${stepName}`}>
                    L{e.line}
                  </button>
                ) : (
                  <span className="line-no muted" title="no line number recorded">·</span>
                )}{' '}
                <code className="evidence-text">{e.text}</code>
              </li>
            ))}
          </ol>
        </div>
      )}
      {hints.length > 0 && (
        <div>
          <h4>Hints</h4>
          <ul>
            {hints.map((h, i) => (
              <li key={i}>{h}</li>
            ))}
          </ul>
        </div>
      )}
      {remediation.length > 0 && (
        <div>
          <h4>Remediation</h4>
          <ul>
            {remediation.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
