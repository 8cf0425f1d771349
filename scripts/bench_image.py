#!/usr/bin/env python3
"""Benchmark `guardrail image` on a generated ~1 GB `docker save` image of
5 uncompressed layers (35% text files: code and configs with a few planted
fake tokens; 65% binary files), against streaming every layer with tar.

  python3 scripts/bench_image.py [WORKDIR] [GUARDRAIL_BIN]

Prints, for one run each, interleaved and repeated 3 times (median kept):
  guardrail image IMG --db tests/fixtures/image/osv (vulns + secrets)
  tar -xOf IMG > /dev/null              (the outer tar streams every layer)
  per layer: tar -xOf IMG L | tar -xOf - > /dev/null (every file of every layer)
and guardrail's peak RSS (wait4's ru_maxrss; run it with the image
already generated, or the generator's memory counts too).
"""
import hashlib, io, json, os, random, resource, statistics, subprocess, sys, tarfile, time

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/guardrail-bench-image"
binp = sys.argv[2] if len(sys.argv) > 2 else "target/release/guardrail"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.makedirs(work, exist_ok=True)
img = os.path.join(work, "bench.tar")
rng = random.Random(5)
# Code-like text: identifiers and keywords of a typical module; words that
# secret rules key on (token, key, secret, password...) appear on about one
# line in fifty, as in real source trees, not on every line.
WORDS = ("def class return import from self value server request response user name path file "
         "data error handle build test main print result items list int str bool None True False "
         "async await yield for while if else elif try except count index offset buffer stream").split()
RARE = "token api_key config secret password auth".split()
LINES = []
for i in range(4000):
    w = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
    if i % 50 == 0:
        w[rng.randrange(len(w))] = rng.choice(RARE)
    LINES.append(" ".join(w) + ("()" if i % 3 else ":"))

def text_file(size):
    out, n = [], 0
    while n < size:
        l = LINES[rng.randrange(len(LINES))]
        out.append(l)
        n += len(l) + 1
    return ("\n".join(out) + "\n").encode()

def layer_tar(i, target):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        size = 0
        k = 0
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
        if i == 0:
            add("etc/os-release", b'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
            add("var/lib/dpkg/status", open(os.path.join(root, "tests/fixtures/image/dpkg-status"), "rb").read())
        while size < target:
            k += 1
            if rng.random() < 0.35 * 4:  # by count; sizes differ
                d = text_file(rng.randint(1000, 60000))
                if k % 997 == 0:
                    d += b"aws_key = AKIA" + bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)) + b"\n"
                add(f"layer{i}/src/pkg{k % 50}/mod{k}.py", d)
            else:
                d = os.urandom(rng.randint(50000, 2000000))
                add(f"layer{i}/lib/lib{k}.so", d)
            size += len(d)
    return buf.getvalue()

if not os.path.exists(img):
    layers = [layer_tar(i, 205 << 20) for i in range(5)]
    diff = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff},
                      "history": [{"created_by": f"RUN step {i}"} for i in range(5)], "config": {"Env": ["PATH=/usr/bin"]}}).encode()
    with tarfile.open(img, "w", format=tarfile.GNU_FORMAT) as t:
        def add(name, data):
            ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
        cname = hashlib.sha256(cfg).hexdigest() + ".json"
        add(cname, cfg)
        paths = []
        for i, l in enumerate(layers):
            p = f"{hashlib.sha256(str(i).encode()).hexdigest()}/layer.tar"
            add(p, l); paths.append(p)
        add("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["bench:1"], "Layers": paths}]).encode())
    del layers
names = [n for n in subprocess.run(["tar", "-tf", img], capture_output=True, text=True).stdout.split() if n.endswith("layer.tar")]
size = os.path.getsize(img)

def timed(cmd, shell=False):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t, (status, err, ru.ru_maxrss, ru.ru_utime + ru.ru_stime)

db = os.path.join(root, "tests/fixtures/image/osv")
idx = os.path.join(work, "idx")
g, t1, t2, rss = [], [], [], 0
gc, c1, c2 = [], [], []
for _ in range(3):
    dt, (status, err, maxrss, cpu) = timed([binp, "image", img, "--db", db, "--index-dir", idx, "--format", "json", "--fail-on", "none"])
    if status != 0:
        sys.exit(err.decode())
    g.append(dt)
    gc.append(cpu)
    rss = max(rss, maxrss)
    dt, r = timed(f"tar -xOf {img} > /dev/null", shell=True)
    t1.append(dt); c1.append(r[3])
    dt, r = timed(" && ".join(f"tar -xOf {img} {n} | tar -xOf - > /dev/null" for n in names), shell=True)
    t2.append(dt); c2.append(r[3])
m = statistics.median
gm, a, b = m(g), m(t1), m(t2)
print(f"image: {size / 2**20:.0f} MiB, 5 layers; load average {os.getloadavg()[0]:.1f}")
print(f"guardrail image (vulns + secrets): wall {gm:.2f} s, CPU {m(gc):.2f} s")
print(f"tar -xOf (outer tar, all layers):  wall {a:.2f} s, CPU {m(c1):.2f} s -> guardrail/tar wall {gm / a:.2f}, CPU {m(gc) / m(c1):.2f}")
print(f"tar -xOf | tar -xOf per layer:     wall {b:.2f} s, CPU {m(c2):.2f} s -> guardrail/tar wall {gm / b:.2f}, CPU {m(gc) / m(c2):.2f}")
print(f"guardrail peak RSS: {rss / 1024:.0f} MiB")
