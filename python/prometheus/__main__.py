"""``python -m prometheus ARGS...``: the same command line as the binary."""

import sys

from prometheus.main import main

sys.exit(main())
