#!/usr/bin/env bash
# The GitHub stand-in checked with GitHub's official client, Octokit
# (tests/standins/octokit, pinned by its package-lock.json; tools/install-deps.sh
# runs npm ci there). Skipped (77) when it is not installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/octokit/node_modules/@octokit/rest" ] || ! command -v node >/dev/null; then
  echo "skipped: run tools/install-deps.sh (npm ci in tests/standins/octokit)"
  exit 77
fi
exec node "$here/octokit/check_standin.mjs"
