#!/usr/bin/env python3
"""Fails when a module includes one it must not (ARCHITECTURE.md's arrows).

Tests (*_test.cc, *_testing.h, *_for_test.h) and src/prometheus/testing may
include anything.
Prints the offending include lines and ends with 'N passed, N failed'.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "prometheus"
LOWER = ["base", "io", "events", "model", "plan", "kpi", "rules"]
ALLOWED = {name: set(LOWER[: i + 1]) for i, name in enumerate(LOWER)}
# The store in three layers: parquet and delta are generic (they know nothing
# of Spark or Prometheus, like a library one could publish); lake holds
# Prometheus' tables on top of them.
ALLOWED["parquet"] = {"base", "parquet"}
ALLOWED["delta"] = {"base", "parquet", "delta"}
ALLOWED["lake"] = set(LOWER) | {"parquet", "delta", "lake"}
# fix (the typed fix contract) sits below both rules and rewrite.
ALLOWED["fix"] = {"base", "fix"}
ALLOWED["rewrite"] = {"base", "io", "fix", "rewrite"}
# The pipeline runs the steps up to the rules and hands results to the lake.
ALLOWED["pipeline"] = set(LOWER) | {"parquet", "lake", "pipeline"}
# The report renders what the pipeline, the lake and the rewriter return.
ALLOWED["report"] = set(LOWER) | {"fix", "pipeline", "parquet", "lake", "rewrite", "report"}
# Remote services: http is generic (libcurl, retries); databricks holds the
# workspace's REST calls on top of it and knows nothing of Spark.
ALLOWED["http"] = {"base", "http"}
ALLOWED["databricks"] = {"base", "http", "databricks"}
# Prometheus' tables in Unity Catalog: the lake's tables over the workspace.
ALLOWED["unity"] = {"base", "kpi", "parquet", "lake", "http", "databricks", "unity"}
# The closed loop (issue 14): git (libgit2) and forge (GitHub, GitLab, Azure
# DevOps over http) know nothing of Spark; loop proposes and verifies on top
# of the lake, the rewriter, git and the forges.
ALLOWED["git"] = {"base", "git"}
ALLOWED["forge"] = {"base", "http", "forge"}
ALLOWED["loop"] = set(LOWER) | {"parquet", "delta", "lake", "fix", "whatif", "rewrite", "io",
                                "http", "git", "forge", "loop"}
for upper in ("rules", "lake"):
    ALLOWED[upper] |= {"fix"}
# What-if sizing replays the model; the rules cite it, the report draws it.
ALLOWED["whatif"] = {"base", "io", "events", "model", "whatif"}
for upper in ("rules", "lake", "pipeline", "report"):
    ALLOWED[upper] |= {"whatif"}
INCLUDE = re.compile(r'#include "prometheus/([a-z_]+)/')


def main():
    failures = checked = 0
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".h", ".cc") or path.name.endswith("_test.cc"):
            continue
        if path.name.endswith(("_testing.h", "_for_test.h")):
            continue  # test-only helpers
        module = path.relative_to(ROOT).parts[0]
        if module not in ALLOWED:
            continue  # cli, testing and main see everything
        checked += 1
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.search(line)
            if match and match.group(1) not in ALLOWED[module]:
                failures += 1
                print(f"{path.relative_to(ROOT.parent.parent)}:{number}: {module} must not include {match.group(1)}")
    print(f"{checked - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
