#!/usr/bin/env python3
"""Generate a synthetic git history with `git fast-import` for the history
benchmarks. Nothing is committed to this repository: the history goes into
a directory you name (use /tmp).

  history_gen.py edits  DIR [--commits 4000] [--files 300]   # (a) small edits
  history_gen.py churn  DIR [--commits 4000]                 # (b) add/delete, some > 1 MB

Shape (a): a few hundred source files, each commit edits a few lines in a
few of them. Shape (b): each commit adds a handful of small files and
deletes older ones; every 20th commit adds a 1-2 MB file. A few
token-shaped fake secrets (random, generated here, never real) are planted,
some of them deleted again later, so scanners have something to find.
"""
import argparse
import os
import random
import string
import subprocess
import sys

WORDS = ("alpha beta gamma delta value result config buffer index count "
         "handler request response client server token parse render build "
         "update state error option module return while match struct impl "
         "self data input output stream reader writer cache entry").split()


def line(rng):
    n = rng.randint(3, 10)
    ident = "_".join(rng.choice(WORDS) for _ in range(2)) + str(rng.randint(0, 999))
    body = " ".join(rng.choice(WORDS) for _ in range(n))
    return f"    let {ident} = {body}; // {rng.randint(0, 1 << 30)}\n"


def fake_pat(rng):
    alphabet = string.ascii_letters + string.digits
    return "ghp_" + "".join(rng.choice(alphabet) for _ in range(36))


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.time = 1_600_000_000

    def w(self, s):
        self.out.write(s if isinstance(s, bytes) else s.encode())

    def commit(self, msg, changes):
        """changes: list of (path, bytes|None); None deletes."""
        self.mark += 1
        self.time += 600
        self.w(f"commit refs/heads/main\nmark :{self.mark}\n")
        self.w(f"author Bench <bench@example.com> {self.time} +0000\n")
        self.w(f"committer Bench <bench@example.com> {self.time} +0000\n")
        m = msg.encode()
        self.w(f"data {len(m)}\n")
        self.w(m + b"\n")
        for path, data in changes:
            if data is None:
                self.w(f"D {path}\n")
            else:
                self.w(f"M 100644 inline {path}\ndata {len(data)}\n")
                self.w(data)
                self.w(b"\n")
        self.w(b"\n")


def edits(s, rng, commits, files):
    contents = {}
    first = []
    for i in range(files):
        path = f"src/mod{i // 50}/file{i}.rs"
        contents[path] = [line(rng) for _ in range(rng.randint(150, 450))]
        first.append((path, "".join(contents[path]).encode()))
    s.commit("initial import", first)
    paths = sorted(contents)
    planted = None
    for c in range(1, commits):
        changes = []
        for path in rng.sample(paths, 5):
            lines = contents[path]
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(lines))
                if rng.random() < 0.5:
                    lines[at] = line(rng)
                else:
                    lines.insert(at, line(rng))
            if c % 500 == 250 and planted is None:
                planted = (path, len(lines) // 2)
                lines.insert(planted[1], f'    let token = "{fake_pat(rng)}";\n')
            changes.append((path, "".join(lines).encode()))
        if planted and c % 500 == 300:
            # The secret is removed again: only a history scan finds it.
            p, _ = planted
            contents[p] = [l for l in contents[p] if "ghp_" not in l]
            changes = [x for x in changes if x[0] != p]
            changes.append((p, "".join(contents[p]).encode()))
            planted = None
        s.commit(f"edit {c}", changes)


def churn(s, rng, commits):
    live = []
    n = 0
    for c in range(commits):
        changes = []
        for _ in range(rng.randint(6, 14)):
            n += 1
            path = f"data/d{n % 97}/f{n}.txt"
            body = "".join(line(rng) for _ in range(rng.randint(20, 80)))
            if n % 800 == 17:
                body += f'api_token = "{fake_pat(rng)}"\n'
            changes.append((path, body.encode()))
            live.append(path)
        if c % 20 == 10:
            n += 1
            path = f"blobs/big{n}.txt"
            size = rng.randint(1 << 20, 2 << 20)
            chunk = "".join(line(rng) for _ in range(400))
            body = (chunk * (size // len(chunk) + 1))[:size]
            # Unique per blob so that packing does not make it free.
            body = f"# {rng.random()}\n" + body + "".join(line(rng) for _ in range(2000))
            changes.append((path, body.encode()))
            live.append(path)
        while len(live) > 400:
            changes.append((live.pop(rng.randrange(len(live) // 2)), None))
        s.commit(f"churn {c}", changes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shape", choices=["edits", "churn"])
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=4000)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", a.dir], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=a.dir, stdin=subprocess.PIPE)
    s = Stream(fi.stdin)
    rng = random.Random(a.seed)
    if a.shape == "edits":
        edits(s, rng, a.commits, a.files)
    else:
        churn(s, rng, a.commits)
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    # One pack with deltas computed by pack-objects, like a fresh clone (fast-import
    # deltas each blob against the previous one in the stream, whatever its path).
    subprocess.run(["git", "repack", "-adfq"], cwd=a.dir, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=a.dir, check=True)


if __name__ == "__main__":
    main()
