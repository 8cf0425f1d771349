#!/usr/bin/env python3
"""Cross-check `guardrail workflows` with zizmor and actionlint on real workflows.

Usage: workflows_crosscheck.py OUTDIR REPO_DIR...
Each REPO_DIR holds .github/workflows/*.yml (extracted from a public
repository). Needs: guardrail (GUARDRAIL, default target/release/guardrail),
zizmor (ZIZMOR), and actionlint as a node script printing one JSON problem
per line (ACTIONLINT_JS, run as `node $ACTIONLINT_JS FILE...`).
Prints per-finding-kind counts and the agreement with guardrail (same file,
guardrail's line inside the span zizmor reports).
"""
import collections, glob, json, os, subprocess, sys

G = os.environ.get("GUARDRAIL", "target/release/guardrail")
Z = os.environ.get("ZIZMOR", "zizmor")
AL = os.environ.get("ACTIONLINT_JS")

# zizmor audit -> guardrail rules that report the same weakness.
MAP = {
    "unpinned-uses": {"unpinned-action"},
    "unpinned-images": {"unpinned-image"},
    "template-injection": {"expression-injection", "expression-in-script"},
    "cache-poisoning": {"cache-in-release"},
    "excessive-permissions": {"missing-permissions", "write-all-permissions", "broad-write-permissions"},
    "unsafe-checkout": {"untrusted-checkout"},
    "dangerous-triggers": {"untrusted-checkout", "secrets-to-fork-code", "expression-injection"},
    "artipacked": {"checkout-persist-credentials"},
    "secrets-inherit": {"secrets-inherit"},
    "bot-conditions": {"bot-condition"},
    "unsound-condition": {"unsound-condition"},
    "github-app": {"app-token-scope"},
    "github-env": {"github-env"},
    "insecure-commands": {"insecure-commands"},
    "self-hosted-runner": {"self-hosted-pr"},
}

def main():
    out, repos = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    g_all, z_all, a_all = [], [], []
    files = 0
    for repo in repos:
        name = os.path.basename(os.path.normpath(repo))
        wfs = sorted(glob.glob(os.path.join(repo, ".github/workflows/*.y*ml")))
        files += len(wfs)
        g = subprocess.run([os.path.abspath(G), "workflows", "--format", "json", "--quiet"], cwd=repo,
                           capture_output=True, text=True)
        gj = json.loads(g.stdout)
        for f in gj["findings"]:
            g_all.append((name, f["path"], f["line"], f["rule_id"], f["severity"]))
        z = subprocess.run([Z, "--offline", "--no-progress", "--format", "json-v1", "--collect=workflows", repo],
                           capture_output=True, text=True)
        for r in json.loads(z.stdout or "[]"):
            loc = next((l for l in r["locations"] if l["symbolic"]["kind"] == "Primary"), r["locations"][0])
            path = loc["symbolic"]["key"]["Local"]["verbatim_path"]
            path = os.path.relpath(os.path.join(os.getcwd(), path), os.path.abspath(repo))
            c = loc["concrete"]["location"]
            z_all.append((name, path, c["start_point"]["row"] + 1, c["end_point"]["row"] + 1,
                          r["ident"], r["determinations"]["severity"]))
        if AL and wfs:
            a = subprocess.run(["node", AL] + wfs, capture_output=True, text=True)
            for l in a.stdout.splitlines():
                p = json.loads(l)
                kind = p["kind"]
                if kind == "expression" and "potentially untrusted" in p["message"]:
                    kind = "expression (untrusted input)"
                a_all.append((name, os.path.relpath(p["file"], repo), p["line"], kind))
    json.dump({"guardrail": g_all, "zizmor": z_all, "actionlint": a_all}, open(os.path.join(out, "all.json"), "w"))
    print(f"{len(repos)} repositories, {files} workflow files")
    gidx = collections.defaultdict(list)
    for (n, p, line, rule, _) in g_all:
        gidx[(n, p)].append((line, rule))
    print("\n## zizmor (offline, regular persona) -> guardrail")
    rows = collections.Counter(); hit = collections.Counter()
    missed = collections.defaultdict(list)
    for (n, p, s, e, ident, sev) in z_all:
        k = (ident, sev)
        rows[k] += 1
        want = MAP.get(ident, set())
        if any(s <= line <= e and rule in want for (line, rule) in gidx[(n, p)]):
            hit[k] += 1
        else:
            missed[k].append(f"{n}/{p}:{s}")
    for k in sorted(rows, key=lambda k: ({"High": 0, "Medium": 1, "Low": 2, "Informational": 3}[k[1]], k[0])):
        print(f"| {k[0]} | {k[1]} | {rows[k]} | {hit[k]} | {', '.join(missed[k][:3])} |")
    print("\n## guardrail -> zizmor (same file, line inside a zizmor span of a mapped audit)")
    zidx = collections.defaultdict(list)
    for (n, p, s, e, ident, sev) in z_all:
        zidx[(n, p)].append((s, e, ident))
    grows = collections.Counter(); ghit = collections.Counter()
    for (n, p, line, rule, sev) in g_all:
        grows[(rule, sev)] += 1
        if any(s <= line <= e and rule in MAP.get(ident, set()) for (s, e, ident) in zidx[(n, p)]):
            ghit[(rule, sev)] += 1
    for k in sorted(grows):
        print(f"| {k[0]} | {k[1]} | {grows[k]} | {ghit[k]} |")
    print("\n## actionlint kinds (and guardrail on the same line)")
    arows = collections.Counter(); ahit = collections.Counter()
    for (n, p, line, kind) in a_all:
        arows[kind] += 1
        if any(l == line for (l, _) in gidx[(n, p)]):
            ahit[kind] += 1
    for k in sorted(arows):
        print(f"| {k} | {arows[k]} | {ahit[k]} |")

main()
