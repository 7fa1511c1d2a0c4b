"""Type stubs of the nanobind module (python/src)."""

def run(argv: list[str], capture: bool) -> tuple[int, bytes, bytes]:
    """Runs ``prometheus ARGV...`` with the GIL released; (exit_code, stdout, stderr)."""
