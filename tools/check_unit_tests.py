#!/usr/bin/env python3
"""Fails when a source file of a fully unit-tested module has no test of its own.

In the modules listed in OWN_TEST, every `x.cc` directly in the module's
folder has an `x_test.cc` beside it (ARCHITECTURE.md, "files come in
threes"). Files under a module's `internal/` are parts of a public header
and are tested through that header's test, so they are not checked.
Prints the files without a test and ends with 'N passed, N failed'.
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "prometheus"
OWN_TEST = ["io", "events", "model", "kpi", "fix", "pipeline"]


def main():
    passed = failed = 0
    for module in OWN_TEST:
        for source in sorted((ROOT / module).glob("*.cc")):
            if source.name.endswith(("_test.cc", "_benchmark.cc")):
                continue
            if source.with_name(source.stem + "_test.cc").exists():
                passed += 1
            else:
                failed += 1
                print(f"{source.relative_to(ROOT.parent.parent)}: no "
                      f"{source.stem}_test.cc beside it")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
