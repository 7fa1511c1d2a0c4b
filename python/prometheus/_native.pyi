"""Type stubs of the nanobind module (python/src)."""

from typing import Any

def run(argv: list[str], capture: bool) -> tuple[int, bytes, bytes]:
    """Runs ``prometheus ARGV...`` with the GIL released; (exit_code, stdout, stderr)."""
def log_rows(sources: list[str], *, since: str | None = None, now_ms: int | None = None,
             rule_folders: list[str] = ..., disabled: list[str] = ...,
             thresholds: list[str] = ...) -> dict[str, Any]: ...
def table_schema(table: str) -> str: ...
def merge_keys(table: str) -> list[str]: ...
