#!/usr/bin/env bash
# Installs what the workbench integration tests need, when missing (see ../shared/notes/vscode-workbench-tests.md):
# Debian's chromium and libkrb5-dev (apt), then Node 24 (npm package node@24, which code-server requires),
# code-server 4.139.1 and playwright-core into extension/test/.workbench (not part of the workspace's
# dependencies: code-server is ~600 MB). Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=test/.workbench
t0=$(date +%s)
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium libkrb5-dev
  echo "workbench: apt chromium libkrb5-dev in $(( $(date +%s) - t0 )) s"
fi
t1=$(date +%s)
mkdir -p "$dir/node24"
if [ ! -x "$dir/node24/node_modules/node/bin/node" ]; then
  (cd "$dir/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --prefix "$dir/node24" --no-audit --no-fund --loglevel=error node@24
fi
node24="$(cd "$dir/node24/node_modules/node/bin" && pwd)"
if [ ! -f "$dir/node_modules/code-server/out/node/entry.js" ] || [ ! -d "$dir/node_modules/playwright-core" ]; then
  [ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
  # code-server's postinstall reads the Node version from npm_config_user_agent: run under `npm run`, that is the
  # outer npm's (Node 20). Its npm_* variables must not leak into this install.
  for v in $(compgen -e | grep '^npm_' || true); do unset "$v"; done
  PATH="$node24:$PATH" npm install --prefix "$dir" --no-audit --no-fund --loglevel=error code-server@4.139.1 playwright-core@1
fi
echo "workbench: node 24, code-server, playwright-core ready in $(( $(date +%s) - t1 )) s"
