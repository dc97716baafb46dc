#!/usr/bin/env python3
"""Interleaved rounds: every command runs once per round, in an order shuffled each round (seeded:
every run uses the same orders), so a noisy machine slows every command alike and no command
always follows the same one. (A rotated order keeps each command's predecessor: on a virtual
machine, memory a big command has just freed is cheaper to touch than memory freed a while ago,
and the command after a big dockgate run always had that edge.) Each run's wall time, CPU time
(user+sys of the command and its children) and peak RSS come from GNU time. Ratios are taken within a round, then the median over the
rounds is reported: never the best run of each command measured apart.

Usage: rounds.py PLAN.json ROUNDS
PLAN.json: {"commands": {"name": {"argv": [...], "env": {...}, "cwd": "..."}},
            "rows": [{"work": "...", "ours": "name", "peer": "name" | null, "input": "path" | null,
                      "goal": "..."}],
            "scaling": {"small": "name", "large": "name", "small_input": "path", "large_input": "path"}}
"""
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(cmd, stats_file):
    # GNU time measures the command alone: wait4() here would count the Python process the child
    # was forked from (its pre-exec pages) in the peak RSS of a small command.
    env = dict(os.environ)
    env.update(cmd.get("env", {}))
    # A command of a few milliseconds (start-up) runs `repeat` times in a row under one measurement,
    # so that fork, exec and GNU time's own cost do not drown it; the times are then per run.
    repeat = cmd.get("repeat", 1)
    inner = cmd["argv"]
    if repeat > 1:
        inner = ["/bin/sh", "-c", 'i=0; while [ $i -lt %d ]; do "$@" >/dev/null || exit 1; i=$((i+1)); done' % repeat,
                 "sh"] + inner
    argv = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats_file] + inner
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, cwd=cmd.get("cwd"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0  # finer than GNU time's 10 ms
    if p.returncode not in cmd.get("ok_codes", [0, 1]):
        sys.exit("bench: %s exited %d: %s" % (cmd["argv"][0], p.returncode, " ".join(cmd["argv"])))
    # GNU time writes "Command exited with non-zero status N" first when the command fails.
    _, user, sys_, rss_kb = open(stats_file).read().split("\n")[-2].split()
    # CPU time has 10 ms steps: a floor of half a step keeps ratios of tiny runs finite.
    return {"wall": wall / repeat, "cpu": max(float(user) + float(sys_), 0.005) / repeat, "rss_mb": int(rss_kb) / 1024.0}


def secs(t):
    return "%.2f s" % t if t >= 0.1 else "%.1f ms" % (t * 1000)


def main():
    plan = json.load(open(sys.argv[1]))
    rounds = int(sys.argv[2])
    names = list(plan["commands"])
    samples = {n: [] for n in names}
    stats_file = os.path.join(tempfile.mkdtemp(), "time")
    for r in range(rounds):
        order = list(names)
        random.Random(20261202 + r).shuffle(order)
        for n in order:
            samples[n].append(run_once(plan["commands"][n], stats_file))
        print("bench: round %d/%d done" % (r + 1, rounds), file=sys.stderr)

    def med(n, key):
        return statistics.median(s[key] for s in samples[n])

    def ratio(ours, peer, key):
        return statistics.median(samples[peer][i][key] / samples[ours][i][key] for i in range(rounds))

    def mb(path):
        return os.path.getsize(path) / 1048576.0 if path else None

    print("| work | dockgate wall / CPU | dockgate peak RSS | peer | peer wall / CPU, RSS | ratio wall (CPU) | goal |")
    print("|---|--:|--:|---|--:|--:|---|")
    for row in plan["rows"]:
        ours, peer = row["ours"], row.get("peer")
        size = mb(row.get("input"))
        rss = med(ours, "rss_mb")
        rss_txt = "%.0f MB" % rss + (" (%.2f× input)" % (rss / size) if size else "")
        if peer:
            peer_txt = "%s / %s, %.0f MB" % (secs(med(peer, "wall")), secs(med(peer, "cpu")), med(peer, "rss_mb"))
            ratio_txt = "%.1f× (%.1f×)" % (ratio(ours, peer, "wall"), ratio(ours, peer, "cpu"))
        else:
            peer_txt, ratio_txt = "—", "—"
        print("| %s | %s / %s | %s | %s | %s | %s | %s |" % (
            row["work"], secs(med(ours, "wall")), secs(med(ours, "cpu")), rss_txt, row.get("peer_label", peer or "—"),
            peer_txt, ratio_txt, row.get("goal", "")))
    sc = plan.get("scaling")
    if sc:
        grow = mb(sc["large_input"]) / mb(sc["small_input"])
        print()
        print("Scaling %.0f MB → %.0f MB (input ×%.2f): wall ×%.2f, CPU ×%.2f, peak RSS ×%.2f (linear = ×%.2f)" % (
            mb(sc["small_input"]), mb(sc["large_input"]), grow,
            ratio(sc["small"], sc["large"], "wall"), ratio(sc["small"], sc["large"], "cpu"),
            ratio(sc["small"], sc["large"], "rss_mb"), grow))
    print()
    print("Medians of %d interleaved rounds; ratios are peer ÷ dockgate per round, then the median." % rounds)


if __name__ == "__main__":
    main()
