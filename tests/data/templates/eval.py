#!/usr/bin/env python3
"""Grouping accuracy of `sentinel fingerprint` over the labeled *.tsv files.
Usage: eval.py SENTINEL_BIN [files...]"""
import collections, json, subprocess, sys, glob, os
bin_ = sys.argv[1]
files = sys.argv[2:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__) or ".", "*.tsv")))
tot_ok = tot = 0
res = {}
for f in files:
    labels, lines = [], []
    for row in open(f, encoding="utf-8", errors="replace"):
        ev, _, line = row.rstrip("\n").partition("\t")
        labels.append(ev); lines.append(line)
    out = subprocess.run([bin_, "fingerprint"] + os.environ.get("EXTRA", "").split(), input="\n".join(lines).encode() + b"\n", stdout=subprocess.PIPE).stdout.decode()
    preds = [json.loads(l)["fingerprint"] for l in out.splitlines()]
    tmpl = [json.loads(l)["template"] for l in out.splitlines()]
    assert len(preds) == len(labels), (f, len(preds), len(labels))
    by_true = collections.defaultdict(set); by_pred = collections.defaultdict(set)
    for i, (t, p) in enumerate(zip(labels, preds)):
        by_true[t].add(i); by_pred[p].add(i)
    ok = sum(1 for i, (t, p) in enumerate(zip(labels, preds)) if by_true[t] == by_pred[p])
    tot_ok += ok; tot += len(labels)
    print("%-22s %6d lines %4d events %5d groups  GA=%.3f" % (os.path.basename(f), len(labels), len(by_true), len(by_pred), ok / len(labels)))
    if "-v" in os.environ.get("EVAL", ""):
        for t, s in sorted(by_true.items()):
            ps = collections.Counter(preds[i] for i in s)
            bad = [p for p in ps if by_pred[p] != s]
            if bad:
                print("   event %s (%d lines) -> %d groups" % (t, len(s), len(ps)))
                for p in list(ps)[:4]:
                    i = next(iter(by_pred[p] & s)); mix = collections.Counter(labels[j] for j in by_pred[p])
                    print("      %s  %s" % (dict(mix) if len(mix) > 1 else len(by_pred[p]), tmpl[max(by_pred[p])][:200]))
    res[os.path.basename(f)[:-4]] = ok / len(labels)
HELD = {"HealthApp", "Zookeeper", "Mac", "Proxifier", "Windows", "Hadoop", "real_postgres", "real_redis", "real_cargo", "real_curl"}
dev = [v for k, v in res.items() if k not in HELD]; held = [v for k, v in res.items() if k in HELD]
print("OVERALL lines=%d GA(line-weighted)=%.3f  mean-per-dataset=%.3f  dev=%.3f held-out=%.3f" % (tot, tot_ok / tot, sum(res.values()) / len(res), sum(dev) / max(1, len(dev)), sum(held) / max(1, len(held))))
