#!/usr/bin/env bash
# One-time (and idempotent) set-up on Debian/Ubuntu with Node and npm: system tools via apt when missing,
# npm packages, TypeScript build, generated sample media. Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# Node >= 20.19
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
  say "Node $(node --version) is too old: AutoEdit needs Node >= 20.19."; exit 3; }

# System tools: command (or library) -> Debian package. Keep this list the single source of truth.
missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have ffmpeg && have ffprobe || missing+=(ffmpeg)
have melt || missing+=(melt)
have espeak-ng || missing+=(espeak-ng)
{ ldconfig -p 2>/dev/null | grep -q 'libgomp.so.1'; } || missing+=(libgomp1)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif have sudo && sudo -n true 2>/dev/null; then SUDO="sudo"
  else
    say "Missing system packages: ${missing[*]}"
    say "Install them with: sudo apt-get install ${missing[*]}   (then run this again)"
    exit 3
  fi
  say "installing ${missing[*]} with apt-get"
  $SUDO apt-get update -qq
  # Wait for a lock another apt/dpkg holds (unattended upgrades, a parallel install) instead of failing.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm packages. onnxruntime-node's install script would try to download CUDA libraries: skip it (the CPU
# binaries ship inside the package).
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  # `npm install` honours the lockfile; `npm ci` rejects lockfiles that npm 11 wrote without the other
  # platforms' optional packages.
  npm install --no-audit --no-fund --loglevel=error
fi

say "building"
npm run --silent build

node samples/generate.mjs >&2
say "ready"
