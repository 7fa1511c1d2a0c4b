#!/usr/bin/env bash
# Installs everything Prometheus needs to build, test and benchmark on Debian 12.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake pkg-config git python3 zstd
  libsimdjson-dev libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev liblzf-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # The Java codecs Spark uses, to prove our framing against the real one.
  default-jdk-headless liblz4-java libsnappy-java libcompress-lzf-java libzstd-jni-java
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node and the independent Parquet and Delta implementations the tests
# compare against (tools/validators, pinned by its package-lock.json).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
validators="$(cd "$(dirname "$0")" && pwd)/validators"
stamp="$validators/node_modules/.package-lock.sha256"
lock_hash="$(sha256sum "$validators/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --prefix "$validators"
  echo "$lock_hash" > "$stamp"
fi
