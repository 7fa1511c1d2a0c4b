"""``python -m prometheus.main ARGS...``: the ``prometheus`` command line.

The output is not captured: it goes to this process' stdout and stderr as the
binary's would, and the exit code is the binary's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from prometheus import _native


def main(argv: Sequence[str] | None = None) -> int:
    """Runs ``prometheus ARGV...`` (default: ``sys.argv[1:]``) and returns its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    exit_code, _, _ = _native.run(args, False)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
