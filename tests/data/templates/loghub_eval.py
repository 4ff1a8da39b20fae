#!/usr/bin/env python3
"""Grouping accuracy of `sentinel fingerprint` on the Loghub benchmark
(16 systems, the "2k" samples), the setting of the logparser benchmark.

Usage: loghub_eval.py LOGHUB_DIR SENTINEL_BIN [--raw] [-v] [--systems A,B]

LOGHUB_DIR holds one directory per system (HDFS/, Hadoop/, ...), each with
SYSTEM_2k.log_templates.csv (EventId,EventTemplate; "<*>" is a variable) and
either the whole SYSTEM_2k.log or slices of it, part-<offset>.log (whole
lines; read in offset order). The data is not in this repository (see
README.md).

Each line's Content is cut out with the system's log format (the logparser
benchmark's formats) and labeled with the template it matches ("<*>" matches
any text, also empty; when several match, the one with the most literal
characters wins). Lines that match no template are fed to the miner but not
scored, and counted (many of them mean a copying error or a format issue).
The Contents (or with --raw the whole lines) go through `sentinel
fingerprint`; a line is grouped right when its predicted group (fingerprint)
holds exactly the lines of its event, as in eval.py.

EXTRA="--similarity 0.5" passes options to `sentinel fingerprint`.
-v lists the failing events, for development systems only: the held-out
systems (the same held-out list as our own datasets) print figures only.
"""
import collections
import csv
import glob
import json
import os
import re
import subprocess
import sys

# The logparser benchmark's log formats (Zhu et al., "Tools and Benchmarks for
# Automated Log Parsing", ICSE-SEIP 2019). A space in a format matches a run of
# whitespace; a field matches lazily (Proxifier's program may hold a space:
# "chrome.exe *64"); the Content is the rest of the line.
FORMATS = {
    "HDFS": r"<Date> <Time> <Pid> <Level> <Component>: <Content>",
    "Hadoop": r"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>",
    "Spark": r"<Date> <Time> <Level> <Component>: <Content>",
    "Zookeeper": r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
    "BGL": r"<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    "HPC": r"<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
    "Thunderbird": r"<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\[<PID>\])?: <Content>",
    "Windows": r"<Date> <Time>, <Level>                  <Component>    <Content>",
    "Linux": r"<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>",
    "Android": r"<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
    "HealthApp": r"<Time>\|<Component>\|<Pid>\|<Content>",
    "Apache": r"\[<Time>\] \[<Level>\] <Content>",
    "Proxifier": r"\[<Time>\] <Program> - <Content>",
    "OpenSSH": r"<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>",
    "OpenStack": r"<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
    "Mac": r"<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>",
}
# Held out while tuning the miner (figures only, never their lines): the same
# list as our own synthetic datasets (README.md, eval.py).
HELD_OUT = {"HealthApp", "Zookeeper", "Mac", "Proxifier", "Windows", "Hadoop"}


def format_regex(fmt):
    """The logparser benchmark's generate_logformat_regex."""
    out = ""
    for k, piece in enumerate(re.split(r"(<[^<>]+>)", fmt)):
        if k % 2 == 0:
            out += re.sub(" +", r"\\s+", piece)
        else:
            name = piece.strip("<>")
            out += "(?P<%s>.*?)" % name
    return re.compile("^" + out + "$")


def squash(s):
    return " ".join(s.split())


class Template:
    """A Loghub template as a glob: literal pieces between "<*>"s. Matching
    with leftmost occurrences is exact for patterns whose only operator is
    "any text", and cannot backtrack."""

    def __init__(self, event, text):
        self.event = event
        self.pieces = squash(text).split("<*>")
        self.literal = sum(len(p) for p in self.pieces)

    def matches(self, s):
        p = self.pieces
        if len(p) == 1:
            return s == p[0]
        if not s.startswith(p[0]) or not s.endswith(p[-1]) or len(s) < len(p[0]) + len(p[-1]):
            return False
        pos, end = len(p[0]), len(s) - len(p[-1])
        for mid in p[1:-1]:
            i = s.find(mid, pos, end)
            if i < 0:
                return False
            pos = i + len(mid)
        return True


def read_templates(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.DictReader(f))
    ts = [Template(r["EventId"], r["EventTemplate"]) for r in rows]
    ts.sort(key=lambda t: -t.literal)  # the first match is the most specific
    return ts


def read_lines(sysdir, system):
    """(lines, parts): the whole 2k log if present, else its part-*.log slices."""
    full = os.path.join(sysdir, system + "_2k.log")
    if os.path.exists(full):
        files, parts = [full], 0
    else:
        def offset(p):
            m = re.search(r"part-(\d+)\.log$", p)
            return int(m.group(1)) if m else 0
        files = sorted(glob.glob(os.path.join(sysdir, "part-*.log")), key=offset)
        parts = len(files)
    lines = []
    for f in files:
        with open(f, encoding="utf-8", errors="replace", newline="") as fh:
            for line in fh.read().splitlines():
                line = line.strip()
                if line:
                    lines.append(line)
    return lines, parts


def fingerprint(bin_, lines):
    inp = "\n".join(lines).encode() + b"\n"
    out = subprocess.run([bin_, "fingerprint"] + os.environ.get("EXTRA", "").split(), input=inp, stdout=subprocess.PIPE, check=True).stdout.decode()
    objs = [json.loads(l) for l in out.splitlines()]
    assert len(objs) == len(lines), (len(objs), len(lines))
    return [o["fingerprint"] for o in objs], [o["template"] for o in objs]


def evaluate(system, sysdir, bin_, raw, verbose):
    tpl_path = os.path.join(sysdir, system + "_2k.log_templates.csv")
    if not os.path.exists(tpl_path):
        return None
    lines, parts = read_lines(sysdir, system)
    if not lines:
        return None
    templates = read_templates(tpl_path)
    rx = format_regex(FORMATS[system])
    contents, labels, unparsed, unmatched = [], [], 0, 0
    for line in lines:
        m = rx.match(line)
        if not m:
            unparsed += 1
            content = line
        else:
            content = m.group("Content")
        key = squash(content)
        label = next((t.event for t in templates if t.matches(key)), None) if m else None
        if m and label is None:
            unmatched += 1
        contents.append(line if raw else content)
        labels.append(label)
    preds, tmpl = fingerprint(bin_, contents)
    scored = [i for i, l in enumerate(labels) if l is not None]
    by_true, by_pred = collections.defaultdict(set), collections.defaultdict(set)
    for i in scored:
        by_true[labels[i]].add(i)
        by_pred[preds[i]].add(i)
    ok = sum(1 for i in scored if by_true[labels[i]] == by_pred[preds[i]])
    ga = ok / len(scored) if scored else 0.0
    split = "held-out" if system in HELD_OUT else "dev"
    src = "%d parts" % parts if parts else "full log"
    print("%-12s %-8s %5d lines (%s) %4d scored %3d unparsed %3d unmatched %4d events %4d groups  GA=%.3f"
          % (system, split, len(lines), src, len(scored), unparsed, unmatched, len(by_true), len(by_pred), ga))
    if verbose and split == "dev":
        for i, line in enumerate(lines):
            if labels[i] is None:
                print("   no template%s: %s" % ("" if rx.match(line) else " (format)", line[:200]))
        for t, s in sorted(by_true.items(), key=lambda kv: -len(kv[1])):
            ps = collections.Counter(preds[i] for i in s)
            if all(by_pred[p] == s for p in ps):
                continue
            tt = next(x for x in templates if x.event == t)
            print("   event %s (%d lines) -> %d groups: %s" % (t, len(s), len(ps), "<*>".join(tt.pieces)[:160]))
            for p in list(ps)[:4]:
                mix = collections.Counter(labels[j] for j in by_pred[p])
                i = max(by_pred[p] & s)
                print("      %s  %s" % (dict(mix) if len(mix) > 1 else len(by_pred[p]), tmpl[i][:200]))
                print("         e.g. %s" % contents[i][:200])
    return ga, len(scored), parts


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    opts = [a for a in sys.argv[1:] if a.startswith("-")]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root, bin_ = args[0], os.path.abspath(args[1])
    if not os.path.isdir(root):
        print("loghub_eval.py: LOGHUB_DIR %s is not a directory" % root, file=sys.stderr)
        return 2
    if not os.access(bin_, os.X_OK):
        print("loghub_eval.py: SENTINEL_BIN %s is not an executable" % bin_, file=sys.stderr)
        return 2
    only = None
    for o in opts:
        if o.startswith("--systems="):
            only = set(o.split("=", 1)[1].split(","))
    raw, verbose = "--raw" in opts, "-v" in opts
    res, sampled, n_lines = {}, False, 0
    print("input: %s" % ("whole lines (--raw)" if raw else "Content field (the benchmark's setting)"))
    for system in FORMATS:
        if only and system not in only:
            continue
        sysdir = os.path.join(root, system)
        r = evaluate(system, sysdir, bin_, raw, verbose) if os.path.isdir(sysdir) else None
        if r is None:
            print("%-12s missing (no templates file or no log lines in %s)" % (system, sysdir))
            continue
        res[system], n, parts = r[0], r[1], r[2]
        n_lines += n
        sampled |= parts > 0
    if not res:
        return 1
    dev = [v for k, v in res.items() if k not in HELD_OUT]
    held = [v for k, v in res.items() if k in HELD_OUT]
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    print("MEAN over %d systems GA=%.3f  dev(%d)=%.3f  held-out(%d)=%.3f" %
          (len(res), mean(list(res.values())), len(dev), mean(dev), len(held), mean(held)))
    if sampled:
        print("NOTE: on samples (part-*.log slices), %d scored lines in all, not the full 2,000 lines per system;"
              " figures on the full logs differ." % n_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
