#!/usr/bin/env python3
"""Generate a large, source-like corpus with planted fake secrets.

Usage: gen_corpus.py OUTDIR --mb 200 [--seed 1] [--src DIR ...]

Text comes from real source files (by default the crate sources cargo keeps
under ~/.cargo/registry/src), cut into files of 20-200 KiB; roughly one
secret is planted per 100 KiB in a realistic assignment, each drawn from a
documented token format. OUTDIR.labels.jsonl lists every planted secret
(path, line, family, value) next to it, in OUTDIR.labels.jsonl, so recall can be measured for any scanner.
Deterministic for a given seed and source set.
"""
import argparse, base64, json, os, random, string, sys

TEXT_EXT = {".rs", ".toml", ".md", ".json", ".yml", ".yaml", ".py", ".js", ".ts",
            ".c", ".h", ".go", ".java", ".sh", ".txt", ".html", ".css", ".cfg", ".ini"}
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


def rs(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def pem_key(rng):
    # A DER SEQUENCE header, as every real RSA key has (its base64 starts `MII`).
    der = bytes([0x30, 0x82, 0x04, 0xA4]) + bytes(rng.getrandbits(8) for _ in range(896))
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"


def jwt(rng):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return ".".join([part({"alg": "HS256", "typ": "JWT"}),
                     part({"sub": rs(rng, string.digits, 10), "name": rs(rng, string.ascii_lowercase, 8),
                           "iat": rng.randint(1500000000, 1800000000)}),
                     rs(rng, B64URL, 43)])


# family -> (secret generator, list of line templates; {s} is the secret)
FAMILIES = {
    "github": (lambda r: "ghp_" + rs(r, ALNUM, 36),
               ['GITHUB_TOKEN={s}', 'token = "{s}"', '  github_token: {s}']),
    "github-fine-grained": (lambda r: "github_pat_" + rs(r, ALNUM, 22) + "_" + rs(r, ALNUM, 59),
                            ['export GH_TOKEN="{s}"']),
    "gitlab": (lambda r: "glpat-" + rs(r, B64URL, 20), ['GITLAB_TOKEN={s}', 'private_token: "{s}"']),
    "slack": (lambda r: "xoxb-" + rs(r, string.digits, 12) + "-" + rs(r, string.digits, 13) + "-" + rs(r, ALNUM, 24),
              ['SLACK_BOT_TOKEN={s}', 'slack_token = "{s}"']),
    "aws": (lambda r: "AKIA" + rs(r, string.ascii_uppercase + "234567", 16),
            ['aws_access_key_id = {s}', 'AWS_ACCESS_KEY_ID="{s}"']),
    "stripe": (lambda r: "sk_live_" + rs(r, ALNUM, 24), ['STRIPE_SECRET_KEY={s}', 'stripe.api_key = "{s}"']),
    "sendgrid": (lambda r: "SG." + rs(r, B64URL, 22) + "." + rs(r, B64URL, 43), ['SENDGRID_API_KEY={s}']),
    "npm": (lambda r: "npm_" + rs(r, ALNUM, 36), ['//registry.npmjs.org/:_authToken={s}']),
    "openai": (lambda r: "sk-proj-" + rs(r, B64URL, 74) + "T3BlbkFJ" + rs(r, B64URL, 74), ['OPENAI_API_KEY={s}']),
    "anthropic": (lambda r: "sk-ant-api03-" + rs(r, B64URL, 93) + "AA", ['ANTHROPIC_API_KEY="{s}"']),
    "huggingface": (lambda r: "hf_" + rs(r, string.ascii_letters, 34), ['HF_TOKEN={s}']),
    "private-key": (pem_key, ['{s}']),
    "jwt": (jwt, ['Authorization: Bearer {s}', 'id_token = "{s}"']),
    "postgres": (lambda r: rs(r, ALNUM, 16),
                 ['DATABASE_URL=postgres://app:{s}@db.internal:5432/app']),
    "generic": (lambda r: rs(r, ALNUM + "!@#%^&*", 20),
                ['db_password = "{s}"', 'API_SECRET: "{s}"', '"client_secret": "{s}",']),
}


def load_sources(dirs, limit_bytes):
    texts, total = [], 0
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for f in sorted(files):
                if os.path.splitext(f)[1] not in TEXT_EXT:
                    continue
                p = os.path.join(root, f)
                try:
                    with open(p, "rb") as fh:
                        data = fh.read(256 * 1024)
                except OSError:
                    continue
                if b"\0" in data[:8192]:
                    continue
                texts.append(data.decode("utf-8", "replace"))
                total += len(data)
                if total >= limit_bytes:
                    return texts
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", action="append")
    ap.add_argument("--secret-every-kib", type=int, default=100)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    src = a.src or [os.path.expanduser("~/.cargo/registry/src")]
    texts = load_sources(src, 64 * 1024 * 1024)
    if not texts:
        sys.exit("no source text found under " + ", ".join(src))
    os.makedirs(a.out, exist_ok=True)
    labels_path = a.out.rstrip("/") + ".labels.jsonl"
    if os.path.exists(labels_path):
        os.remove(labels_path)
    target = a.mb * 1024 * 1024
    written, n, labels = 0, 0, []
    fams = sorted(FAMILIES)
    exts = [".py", ".js", ".yml", ".env", ".go", ".rs", ".json", ".sh", ".txt", ".java"]
    while written < target:
        size = rng.randint(20, 200) * 1024
        lines = []
        cur = 0
        while cur < size:
            t = rng.choice(texts)
            chunk = t[rng.randrange(max(1, len(t) - 4096)):][:rng.randint(512, 8192)]
            lines.extend(chunk.splitlines())
            cur += len(chunk)
            if rng.random() < 4096 / (a.secret_every_kib * 1024) * (len(chunk) / 4096):
                fam = rng.choice(fams)
                gen, templates = FAMILIES[fam]
                secret = gen(rng)
                text = rng.choice(templates).format(s=secret)
                labels.append({"line_index": len(lines), "family": fam, "value": secret})
                lines.extend(text.split("\n"))
        sub = "d%03d" % (n // 100)
        rel = "%s/f%05d%s" % (sub, n, rng.choice(exts))
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
        body = "\n".join(lines) + "\n"
        with open(os.path.join(a.out, rel), "w") as fh:
            fh.write(body)
        with open(a.out.rstrip("/") + ".labels.jsonl", "a") as fh:
            for l in labels:
                fh.write(json.dumps({"path": rel, "line": l["line_index"] + 1,
                                     "family": l["family"], "value": l["value"]}) + "\n")
        labels = []
        written += len(body.encode())
        n += 1
    print("wrote %d files, %.1f MiB to %s" % (n, written / 1048576, a.out))


if __name__ == "__main__":
    main()
