#!/usr/bin/env bash
# Runs pytest with the official databricks-sdk from .venv-databricks
# (tools/install-deps.sh) on the given test files (default:
# test_sdk_against_standin.py beside this script); exit 77 (skipped) without it.
here="$(cd "$(dirname "$0")" && pwd)"
python="$here/../../.venv-databricks/bin/python"
if [ ! -x "$python" ]; then
  echo "skipped: no .venv-databricks (run tools/install-deps.sh)"
  exit 77
fi
[ $# -gt 0 ] || set -- "$here/test_sdk_against_standin.py"
exec "$python" -m pytest -q -p no:cacheprovider "$@"
