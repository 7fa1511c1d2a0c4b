#!/usr/bin/env bash
# Regenerates testdata/codecs/: a plain Spark event log compressed by the Java
# libraries Spark uses (lz4-java, compress-lzf, snappy-java, zstd-jni) and by
# gzip. Needs the Debian packages listed in tools/install-deps.sh.
# Usage: tools/make-codec-fixtures.sh [plain-file]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/testdata/codecs"
plain="${1:-$out/app-20200706201101-0003}"
jars=/usr/share/java
classpath="$jars/lz4-java.jar:$jars/snappy-java.jar:$jars/compress-lzf.jar:$jars/zstd-jni.jar"

# Debian ships the JNI libraries outside the jars, so point the loaders there.
jni_dirs=/usr/lib/x86_64-linux-gnu/jni:/usr/lib/x86_64-linux-gnu:/usr/lib/jni
jni_dirs="$jni_dirs:/usr/lib/$(uname -m)-linux-gnu/jni:/usr/lib/$(uname -m)-linux-gnu"

mkdir -p "$out"
if [ "$(realpath "$plain")" != "$(realpath -m "$out/$(basename "$plain")")" ]; then
  cp "$plain" "$out/"
  plain="$out/$(basename "$plain")"
fi

classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -nowarn -cp "$classpath" -d "$classes" "$repo/tools/CodecFixtures.java"
java -cp "$classes:$classpath" \
  -Djava.library.path="$jni_dirs" \
  -Dorg.xerial.snappy.use.systemlib=true \
  CodecFixtures "$plain" "$out"

# Databricks rotates logs as gzip files; -n keeps the output reproducible.
gzip -9 -n -c "$plain" > "$plain.gz"
echo "wrote $plain.gz ($(stat -c %s "$plain.gz") bytes)"
