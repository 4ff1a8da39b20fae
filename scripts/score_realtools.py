#!/usr/bin/env python3
"""Scores `sentinel triage` on the real-tool corpus (tests/data/realtools).

  python3 scripts/score_realtools.py [--sentinel build/sentinel] [--split dev|eval|all]
                                     [--exit-code] [--only SUBSTRING] [--misses N] [--json]
                                     [--by-ecosystem]

Every failing log of manifest.tsv is triaged (`sentinel triage FILE`, with `--exit-code N` from
the manifest when --exit-code is given: the worker knows it, a pasted log does not) and compared
with its label: the failure category and the 1-based line range of the failure block. Prints:
  category accuracy   share of logs whose category is the labeled one (per category too)
  unknown             share answered `unknown`
  confidently wrong   share given a wrong category other than unknown at confidence >= 0.9
  hit rate            share of logs with at least one evidence line inside the block
  block recall        share of the block's lines that are evidence lines (averaged)
  evidence precision  share of evidence lines inside the block or within 2 lines of it (averaged)
  calibration         reliability table over the logs that got a category other than unknown:
                      confidence bins, count, mean confidence, accuracy; expected calibration
                      error ECE = sum over bins of (n_bin / n) * |accuracy - mean confidence|.
                      ECE is also given over every log, counting `unknown` as a wrong answer at
                      its (low) confidence.
and, for the passing logs of green/ (triaged as if they had failed, exit code 0 with --exit-code),
how many get a category other than unknown at confidence >= 0.5 (false alarms).
`--split eval` scores only the held-out part (ecosystems nobody wrote rules from).
Standard library only. Exit status 0 unless the program could not run.
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
BINS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]


def load_manifest(root):
    rows = []
    with open(os.path.join(root, 'manifest.tsv'), encoding='utf-8') as f:
        header = f.readline().rstrip('\n').split('\t')
        for line in f:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip('\n').split('\t'))))
    return rows


def triage(binp, path, exit_code):
    argv = [binp, 'triage', path]
    if exit_code is not None:
        argv += ['--exit-code', str(exit_code)]
    p = subprocess.run(argv, capture_output=True, timeout=120)
    try:
        return json.loads(p.stdout.decode('utf-8', 'replace'))
    except ValueError:
        print('triage failed on %s: exit %s %s' % (path, p.returncode, p.stderr.decode('utf-8', 'replace')[-200:]),
              file=sys.stderr)
        return None


def reliability(points):
    """points: [(confidence, correct)]. Returns (table rows, ECE)."""
    rows, ece, n = [], 0.0, len(points)
    for lo, hi in zip(BINS, BINS[1:]):
        b = [(c, ok) for c, ok in points if lo <= c < hi]
        if not b:
            continue
        conf = sum(c for c, _ in b) / len(b)
        acc = sum(ok for _, ok in b) / len(b)
        ece += len(b) / n * abs(acc - conf)
        rows.append((lo, min(hi, 1.0), len(b), conf, acc))
    return rows, ece


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sentinel', default='build/sentinel')
    ap.add_argument('--root', default=os.path.join(ROOT, 'tests', 'data', 'realtools'))
    ap.add_argument('--split', default='all', choices=['dev', 'eval', 'all'])
    ap.add_argument('--exit-code', action='store_true', help="pass each log's exit code to triage")
    ap.add_argument('--only', default='')
    ap.add_argument('--misses', type=int, default=15)
    ap.add_argument('--json', action='store_true', help='print the figures as one JSON object instead')
    ap.add_argument('--by-ecosystem', action='store_true', help='also print category accuracy and hit rate per ecosystem')
    a = ap.parse_args()
    try:
        subprocess.run([a.sentinel, 'version'], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as e:
        print('cannot run %s: %s' % (a.sentinel, e), file=sys.stderr)
        return 2
    rows = [r for r in load_manifest(a.root)
            if (a.split == 'all' or r['split'] == a.split) and a.only in r['file']]
    fails = [r for r in rows if r['category'] != 'success']
    greens = [r for r in rows if r['category'] == 'success']
    t0 = time.time()
    n = right = unknown = conf_wrong = errors = 0
    hit = rec = prec = 0.0
    per_cat, per_eco, confusion, points, points_all, misses = {}, {}, {}, [], [], []
    for r in fails:
        j = triage(a.sentinel, os.path.join(a.root, r['file']), int(r['exit_code']) if a.exit_code else None)
        if not isinstance(j, dict):
            errors += 1
            j = {}
        want, got = r['category'], str(j.get('category') or 'none')
        try:
            conf = float(j.get('confidence') or 0)
        except (TypeError, ValueError):
            conf = 0.0
        n += 1
        ok = got == want
        right += ok
        pc = per_cat.setdefault(want, [0, 0])
        pc[0] += ok
        pc[1] += 1
        pe = per_eco.setdefault(r.get('ecosystem', '?'), [0, 0, 0])
        pe[0] += ok
        pe[2] += 1
        if got == 'unknown':
            unknown += 1
        else:
            points.append((conf, ok))
            if not ok and conf >= 0.9:
                conf_wrong += 1
        points_all.append((conf, ok))
        if not ok:
            confusion[(want, got)] = confusion.get((want, got), 0) + 1
        lo, hi = int(r['block_start']), int(r['block_end'])
        block = set(range(lo, hi + 1))
        ev = {e['line'] for e in j.get('evidence') or [] if isinstance(e, dict) and isinstance(e.get('line'), int)}
        inside = ev & block
        hit += bool(inside)
        pe[1] += bool(inside)
        rec += len(inside) / len(block)
        prec += len({e for e in ev if lo - 2 <= e <= hi + 2}) / len(ev) if ev else 0.0
        if not ok or not inside:
            misses.append('%s [%s] want %s lines %d-%d, got %s %.2f evidence %s' % (
                r['file'], r['split'], want, lo, hi, got, conf, sorted(ev)[:6]))
    false_alarms = []
    for r in greens:
        j = triage(a.sentinel, os.path.join(a.root, r['file']), 0 if a.exit_code else None) or {}
        got = str(j.get('category') or 'none')
        conf = float(j.get('confidence') or 0)
        if got not in ('unknown', 'none') and conf >= 0.5:
            false_alarms.append('%s: %s %.2f' % (r['file'], got, conf))
    if not n:
        print('no log scored')
        return 1
    table, ece = reliability(points)
    _, ece_all = reliability(points_all)
    figures = {
        'split': a.split, 'logs': n, 'triage_errors': errors, 'seconds': round(time.time() - t0, 1),
        'category_accuracy': right / n, 'unknown': unknown / n, 'confidently_wrong': conf_wrong / n,
        'hit_rate': hit / n, 'block_recall': rec / n, 'evidence_precision': prec / n,
        'ece': ece, 'ece_all': ece_all, 'claims': len(points),
        'reliability': [{'bin': [b0, b1], 'count': c, 'confidence': cf, 'accuracy': ac} for b0, b1, c, cf, ac in table],
        'per_category': {k: {'right': v[0], 'logs': v[1]} for k, v in sorted(per_cat.items())},
        'per_ecosystem': {k: {'right': v[0], 'hits': v[1], 'logs': v[2]} for k, v in sorted(per_eco.items())},
        'green_logs': len(greens), 'green_false_alarms': false_alarms,
    }
    if a.json:
        print(json.dumps(figures, indent=1))
        return 0
    for m in misses[: a.misses]:
        print('miss ' + m)
    for (w, g), k in sorted(confusion.items(), key=lambda x: -x[1])[:12]:
        print('confusion: want %-18s got %-18s x%d' % (w, g, k))
    print('\nper category (right/logs):')
    for k, v in sorted(per_cat.items()):
        print('  %-18s %3d/%-3d %5.1f%%' % (k, v[0], v[1], 100.0 * v[0] / v[1]))
    if a.by_ecosystem:
        print('\nper ecosystem (category right / evidence hit / logs):')
        for k, v in sorted(per_eco.items()):
            print('  %-12s %3d %3d %3d   accuracy %5.1f%%' % (k, v[0], v[1], v[2], 100.0 * v[0] / v[2]))
    print('\nreliability over the %d logs given a category other than unknown:' % len(points))
    print('  %-11s %5s %10s %9s' % ('confidence', 'logs', 'mean conf', 'accuracy'))
    for b0, b1, c, cf, ac in table:
        print('  %.1f-%.1f    %5d %10.3f %9.3f' % (b0, b1, c, cf, ac))
    print('\n%d %s logs in %.0f s (%d triage errors), %d green logs' % (n, a.split, time.time() - t0, errors, len(greens)))
    print('category accuracy %.3f  unknown %.3f  confidently wrong %.3f' % (right / n, unknown / n, conf_wrong / n))
    print('hit rate %.3f  block recall %.3f  evidence precision %.3f' % (hit / n, rec / n, prec / n))
    print('ECE %.3f over %d categorised logs  (ECE %.3f over all, unknown counted wrong)' % (ece, len(points), ece_all))
    print('green false alarms (category at >= 0.5 on a passing log): %d/%d%s' % (
        len(false_alarms), len(greens), ''.join('\n  ' + x for x in false_alarms)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
