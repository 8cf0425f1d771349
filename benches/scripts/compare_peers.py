#!/usr/bin/env python3
"""Whole-process comparison of guardrail with peer scanners on one directory.

Usage: compare_peers.py TARGET_DIR [--labels FILE] [--runs 3] [--tools guardrail,gitleaks,...]

Runs each tool on TARGET_DIR under /usr/bin/time, best of --runs by wall time,
and prints wall seconds, CPU seconds (user+sys), peak RSS, MB/s and, when a
labels file from gen_corpus.py is given, recall on the planted secrets (per
family) and the number of findings that match no planted secret.

Tool binaries: GUARDRAIL (default target/release/guardrail), and PEERS_DIR
(default /work/peers) holding gitleaks, betterleaks, kingfisher (see
BENCHMARKS.md for how to install them from PyPI).
"""
import argparse, collections, json, os, subprocess, sys, tempfile

PEERS = os.environ.get("PEERS_DIR", "/work/peers")
GUARDRAIL = os.environ.get("GUARDRAIL", "target/release/guardrail")


def cmd_for(tool, target, out):
    if tool == "guardrail":
        return [GUARDRAIL, "secrets", target, "--format", "json", "--no-redact", "-o", out, "--quiet"]
    if tool == "gitleaks":
        return [f"{PEERS}/gitleaks", "dir", target, "-f", "json", "-r", out, "--no-banner", "-l", "error"]
    if tool == "betterleaks":
        return [f"{PEERS}/betterleaks", target, "-o", out, "--no-banner", "-l", "error", "-s"]
    if tool == "kingfisher":
        return [f"{PEERS}/kingfisher", "scan", target, "--format", "json", "--output", out,
                "--no-validate", "-q", "--no-update-check"]
    raise SystemExit("unknown tool " + tool)


def parse(tool, out, target):
    """-> list of (relative path, line, secret)."""
    try:
        data = json.load(open(out))
    except (OSError, ValueError):
        return []
    rel = lambda p: os.path.relpath(os.path.join(target, p) if not os.path.isabs(p) and not p.startswith(target) else p, target)
    res = []
    if tool == "guardrail":
        for f in data["findings"]:
            res.append((f["path"], f["line"], f["secret"]))
    elif tool == "gitleaks":
        for f in data or []:
            res.append((rel(f["File"]), f["StartLine"], f["Secret"]))
    elif tool == "betterleaks":
        for f in data.get("findings") or []:
            loc = f["location"]
            res.append((rel(loc["path"]), loc["start_line"], f["match"]["value"]))
    elif tool == "kingfisher":
        for f in data.get("findings") or []:
            g = f["finding"]
            res.append((rel(g["path"]), g["line"], g["snippet"]))
    return res


def score(findings, labels):
    by_path = collections.defaultdict(list)
    for p, line, s in findings:
        by_path[p].append((line, s))
    found = collections.Counter()
    total = collections.Counter()
    matched_findings = set()
    for l in labels:
        total[l["family"]] += 1
        hit = False
        for i, (line, s) in enumerate(by_path.get(l["path"], [])):
            if s and (s in l["value"] or l["value"] in s) and abs(line - l["line"]) <= 40:
                hit = True
                matched_findings.add((l["path"], i))
        if hit:
            found[l["family"]] += 1
    unmatched = sum(len(v) for v in by_path.values()) - len(matched_findings)
    return found, total, unmatched


def run(tool, target, runs):
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        for _ in range(runs):
            if os.path.exists(out):
                os.remove(out)
            tf = os.path.join(tmp, "time")
            p = subprocess.run(["/usr/bin/time", "-o", tf, "-f", "%e %U %S %M"] + cmd_for(tool, target, out),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall, user, sys_, rss = open(tf).read().split("\n")[-2].split()
            r = (float(wall), float(user) + float(sys_), int(rss) / 1024.0)
            if best is None or r[0] < best[0]:
                best = r
        findings = parse(tool, out, target)
    return best, findings


def dir_bytes(target):
    n = 0
    for root, dirs, files in os.walk(target):
        dirs[:] = [d for d in dirs if d != ".git"]
        for f in files:
            try:
                n += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--labels")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="guardrail,kingfisher,betterleaks,gitleaks")
    a = ap.parse_args()
    target = os.path.abspath(a.target)
    labels = [json.loads(l) for l in open(a.labels)] if a.labels else None
    mb = dir_bytes(target) / 1e6
    print(f"target: {target} ({mb:.1f} MB), best of {a.runs} runs")
    print(f"{'tool':<12} {'wall s':>8} {'cpu s':>8} {'MB/s':>8} {'peak MiB':>9} {'findings':>9}" + (f" {'recall':>7} {'unlabelled':>10}" if labels else ""))
    per_family = {}
    for tool in a.tools.split(","):
        (wall, cpu, rss), findings = run(tool, target, a.runs)
        line = f"{tool:<12} {wall:>8.2f} {cpu:>8.2f} {mb / max(wall, 1e-3):>8.0f} {rss:>9.0f} {len(findings):>9}"
        if labels:
            found, total, unmatched = score(findings, labels)
            line += f" {sum(found.values()) / max(1, sum(total.values())):>7.3f} {unmatched:>10}"
            per_family[tool] = (found, total)
        print(line, flush=True)
    if labels:
        fams = sorted({l["family"] for l in labels})
        print("\nrecall per family:")
        print(f"{'family':<22}" + "".join(f"{t:>12}" for t in per_family))
        for fam in fams:
            print(f"{fam:<22}" + "".join(f"{per_family[t][0][fam]:>6}/{per_family[t][1][fam]:<5}" for t in per_family))


if __name__ == "__main__":
    main()
