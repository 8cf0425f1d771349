#!/usr/bin/env bash
# Install guardrail for the GitHub Action and print `bin=PATH` to $GITHUB_OUTPUT.
#
#   GUARDRAIL_BIN         use this binary as is (tests, or a binary built earlier in the job)
#   GUARDRAIL_VERSION     a release tag (`v0.2.0`) or `latest`: download the release binary
#                         and check it against the `.sha256` file published beside it;
#                         empty: `cargo install --locked` from the action's own checkout
#   GUARDRAIL_REPOSITORY  owner/name that publishes the releases (default: $GITHUB_REPOSITORY)
#   GITHUB_ACTION_PATH    the action's checkout (set by the runner)
#
# Release assets are named `guardrail-<target>.tar.gz` (+ `.sha256`), without the
# version, so `releases/latest/download/...` works too; see .github/workflows/release.yml.
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }
fail() {
  say "guardrail action: $*"
  printf '::error title=guardrail install::%s\n' "$*"
  exit 2
}
emit() {
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then printf '%s\n' "$1" >>"$GITHUB_OUTPUT"; fi
  printf '%s\n' "$1"
}

if [[ -n ${GUARDRAIL_BIN:-} ]]; then
  [[ -x $GUARDRAIL_BIN ]] || fail "GUARDRAIL_BIN=$GUARDRAIL_BIN is not an executable file"
  emit "bin=$GUARDRAIL_BIN"
  exit 0
fi

root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/guardrail-install"
mkdir -p "$root/bin"
version=${GUARDRAIL_VERSION:-}

if [[ -z $version ]]; then
  src=${GITHUB_ACTION_PATH:-}
  [[ -n $src && -f $src/Cargo.toml ]] || fail "no version given and no Cargo.toml in the action's checkout (${src:-GITHUB_ACTION_PATH unset})"
  command -v cargo >/dev/null || fail "cargo is not installed: set the action's 'version' input to download a release binary instead"
  say "guardrail action: building guardrail from $src (cargo install --locked)"
  cargo install --locked --quiet --path "$src" --root "$root"
  emit "bin=$root/bin/guardrail"
  exit 0
fi

# A tag goes into a URL: accept only tag-like text.
[[ $version =~ ^(latest|v?[0-9]+\.[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]+)?)$ ]] ||
  fail "version '$version' is not a release tag like v0.2.0 (or 'latest')"

os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
case "$os/$arch" in
Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-gnu ;;
Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-gnu ;;
macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
*) fail "no release binary for $os/$arch: leave 'version' empty to build guardrail with cargo" ;;
esac

repo=${GUARDRAIL_REPOSITORY:-${GITHUB_REPOSITORY:-}}
[[ $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail "cannot tell which repository publishes guardrail releases (got '$repo')"
server=${GITHUB_SERVER_URL:-https://github.com}
if [[ $version == latest ]]; then
  base="$server/$repo/releases/latest/download"
else
  base="$server/$repo/releases/download/$version"
fi
asset="guardrail-$target.tar.gz"

say "guardrail action: downloading $base/$asset"
curl --fail --silent --show-error --location --retry 3 -o "$root/$asset" "$base/$asset" ||
  fail "download of $base/$asset failed (does release $version exist?)"
curl --fail --silent --show-error --location --retry 3 -o "$root/$asset.sha256" "$base/$asset.sha256" ||
  fail "download of $base/$asset.sha256 failed"

want=$(awk '{print $1; exit}' "$root/$asset.sha256")
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$root/$asset" | awk '{print $1}')
else
  got=$(shasum -a 256 "$root/$asset" | awk '{print $1}')
fi
[[ -n $want && $want == "$got" ]] || fail "$asset: sha256 $got does not match the published $want"

tar -xzf "$root/$asset" -C "$root/bin" guardrail
chmod +x "$root/bin/guardrail"
"$root/bin/guardrail" --version >&2
emit "bin=$root/bin/guardrail"
