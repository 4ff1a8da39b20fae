#!/usr/bin/env python3
"""Regenerates tests/data/realtools: runs every case's real tool, wraps the
output as a CI service writes it, labels the failure block, and writes
logs/NAME.log, green/NAME.log and manifest.tsv. Run through ../generate.sh.

  generate.py [--only SUBSTRING[,SUBSTRING...]] [--show]
"""
import argparse, os, sys, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from framework import Rng, WRAPPERS, clean, find_block, run_case  # noqa: E402
import cases_dev, cases_eval, cases_eval2, cases_cov, cases_guards  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ['file', 'split', 'ecosystem', 'tool', 'ci', 'category', 'block_start', 'block_end', 'exit_code', 'note']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--only', default='')
    ap.add_argument('--show', action='store_true', help='print each log with its block marked')
    a = ap.parse_args()
    groups = [('dev', cases_dev.C + cases_dev.G + cases_cov.C + cases_cov.G + cases_guards.C + cases_guards.G), ('eval', cases_eval.C + cases_eval.G + cases_eval2.C + cases_eval2.G)]
    names = set()
    rows, failed = {}, []
    mpath = os.path.join(HERE, 'manifest.tsv')
    if a.only and os.path.exists(mpath):
        for line in open(mpath, encoding='utf-8').read().splitlines()[1:]:
            f = line.split('\t')
            rows[f[0]] = line
    for split, cases in groups:
        for c in cases:
            assert c.name not in names, c.name
            names.add(c.name)
            if a.only and not any(s in c.name for s in a.only.split(',')):
                continue
            green = c.category == 'success'
            try:
                results = run_case(c)
            except Exception as e:  # a case that cannot run here is reported, not written
                failed.append('%s: %s' % (c.name, e))
                continue
            rc = results[-1][2]
            if green != (rc == 0) and c.killer is None:
                failed.append('%s: exit %d, expected %s' % (c.name, rc, 'success' if green else 'failure'))
                continue
            rng = Rng(zlib.crc32(c.name.encode()))
            lines, region, marker = WRAPPERS[c.ci](c, results, rng, green)
            rel = ('green/' if green else 'logs/') + c.name + '.log'
            if green:
                block = (0, 0)
            else:
                block = find_block(c, lines, region, marker)
                if block is None:
                    failed.append('%s: block pattern %r found nothing in:\n%s' % (
                        c.name, c.block, '\n'.join(clean(l) for l in lines[region[0]:region[1]])[-3000:]))
                    continue
            os.makedirs(os.path.join(HERE, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(HERE, rel), 'w', encoding='utf-8', newline='') as f:
                f.write('\n'.join(lines) + '\n')
            rows[rel] = '\t'.join(str(x) for x in [rel, split, c.eco, c.tool, c.ci, c.category, block[0], block[1], rc,
                                                   c.note.replace('\t', ' ')])
            if a.show:
                print('=' * 20, rel, c.category, block, 'rc', rc)
                for i, l in enumerate(lines[region[0] - 2:region[1] + 2], start=region[0] - 1):
                    mark = '>>' if block[0] <= i <= block[1] else '  '
                    print('%s %4d %s' % (mark, i, clean(l)[:200]))
    with open(mpath, 'w', encoding='utf-8') as f:
        f.write('\t'.join(COLUMNS) + '\n')
        for k in sorted(rows):
            f.write(rows[k] + '\n')
    for x in failed:
        print('FAILED ' + x, file=sys.stderr)
    print('%d rows in manifest.tsv, %d cases failed to generate' % (len(rows), len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
