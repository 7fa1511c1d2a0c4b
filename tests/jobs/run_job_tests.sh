#!/usr/bin/env bash
# Runs test_job_definitions.py with the official databricks-sdk from
# .venv-databricks (tools/install-deps.sh); exit 77 (skipped) without it.
here="$(cd "$(dirname "$0")" && pwd)"
python="$here/../../.venv-databricks/bin/python"
if [ ! -x "$python" ]; then
  echo "skipped: no .venv-databricks (run tools/install-deps.sh)"
  exit 77
fi
exec "$python" -m pytest -q -p no:cacheprovider "$here/test_job_definitions.py"
