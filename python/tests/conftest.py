"""The installed package's tests: run from a fresh venv (make test-wheel), never
from the source tree; PROMETHEUS_BINARY names the binary they compare with."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED_LOGS = REPO.parent / "shared" / "eventlogs"
LOG_ROOTS = {"shared": str(SHARED_LOGS), "testdata": "testdata/eventlogs",
             "codecs": "testdata/codecs"}


@pytest.fixture(autouse=True)
def in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative paths (testdata/...) read from the checkout, as the C++ tests do."""
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="session")
def binary() -> str:
    path = os.environ.get("PROMETHEUS_BINARY", str(REPO / "build" / "prometheus"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"no prometheus binary at {path}: set PROMETHEUS_BINARY")
    return path


def run_binary(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([binary, *args], cwd=REPO, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)
