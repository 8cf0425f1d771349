#!/usr/bin/env python3
"""Make the version-pair fixtures of tests/image_versions.rs from real
version strings, with the real tools' answers.

  pairs.py dpkg DEB_VERSIONS.tsv... > tests/fixtures/versions/dpkg-pairs.txt
  pairs.py apk  APK_VERSIONS.tsv... > tests/fixtures/versions/apk-pairs.txt
  pairs.py rpm  VERSIONS.tsv...     > tests/fixtures/versions/rpm-pairs.txt

Each input line is `package<TAB>version` (e.g. from a Debian `Packages`
index, an Alpine secdb, an rpm -qa listing). Pairs are versions of the
same package (real upgrades) plus neighbours in a sorted pool (near
misses such as `1.0~rc1` / `1.0`). The answer comes from
`dpkg --compare-versions`, `apk version -t` (apk-tools 2.14) or rpm's
`rpm.vercmp` (rpm 4.18, EVR strings); the tool must be on PATH.
Output: `a<TAB>b<TAB><|=|>`, one pair a line, sorted, deterministic.
"""
import random, subprocess, sys
from collections import defaultdict

N = 3000


def valid(kind, v):
    if kind == "rpm":
        # An rpm EVR: one `-` at most, no characters rpm treats as separators
        # inside a field that Debian allows.
        return v.count("-") <= 1 and all(c.isalnum() or c in ".~^+_:-" for c in v) and v.count(":") <= 1
    return bool(v)


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    by_pkg = defaultdict(set)
    for f in files:
        for line in open(f, encoding="utf-8", errors="replace"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and valid(kind, parts[1]):
                by_pkg[parts[0]].add(parts[1])
    rng = random.Random(13)
    pairs = set()
    pkgs = sorted(p for p, vs in by_pkg.items() if len(vs) > 1)
    rng.shuffle(pkgs)
    for p in pkgs:
        vs = sorted(by_pkg[p])
        for _ in range(min(4, len(vs) - 1)):
            a, b = rng.sample(vs, 2)
            pairs.add((a, b))
        if len(pairs) >= N * 2 // 3:
            break
    pool = sorted({v for vs in by_pkg.values() for v in vs})
    tries = 0
    while len(pairs) < N and len(pool) > 1 and tries < 50 * N:
        tries += 1
        i = rng.randrange(len(pool) - 1)
        pairs.add((pool[i], pool[i + 1]) if rng.random() < 0.5 else (pool[i + 1], pool[i]))
    pairs = sorted(pairs)
    out = []
    if kind == "rpm":
        script = "\n".join(
            'io.write(rpm.vercmp("%s","%s"), "\\n")' % (a, b) for a, b in pairs
        )
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(script)
        res = subprocess.run(["rpm", "--eval", "%%{lua: dofile('%s')}" % f.name], capture_output=True, text=True, check=True).stdout.split()
        sym = {"-1": "<", "0": "=", "1": ">"}
        out = [(a, b, sym[r]) for (a, b), r in zip(pairs, res)]
    for a, b in pairs if kind != "rpm" else []:
        if kind == "dpkg":
            lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
            eq = subprocess.run(["dpkg", "--compare-versions", a, "eq", b]).returncode == 0
            r = "<" if lt else "=" if eq else ">"
        else:
            r = subprocess.run(["apk", "version", "-t", a, b], capture_output=True, text=True).stdout.strip()
            if r not in ("<", "=", ">"):
                continue  # apk calls one of them invalid
        out.append((a, b, r))
    for a, b, r in out:
        print(f"{a}\t{b}\t{r}")


main()
