"""The exceptions a command's non-zero exit becomes."""

from __future__ import annotations


class PrometheusError(Exception):
    """A command exited non-zero; the message is its own error text.

    ``exit_code`` is the command line's: 1 for an I/O or internal failure
    (``PrometheusFailure``), 2 for bad arguments or nothing readable
    (``PrometheusInputError``). ``stderr`` is everything it printed there,
    warnings included.
    """

    def __init__(self, message: str, *, exit_code: int, argv: list[str], stderr: str) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.argv = argv
        self.stderr = stderr


class PrometheusFailure(PrometheusError):
    """Exit code 1: the store or a file could not be read or written, or an internal error."""


class PrometheusInputError(PrometheusError):
    """Exit code 2: bad arguments, or no readable event log among the paths."""


_PREFIX = "prometheus: "


def error_for(exit_code: int, argv: list[str], stderr: str) -> PrometheusError:
    """The exception for a run that exited `exit_code`, its message the error lines of `stderr`."""
    lines = [line[len(_PREFIX):] for line in stderr.splitlines() if line.startswith(_PREFIX)]
    message = "\n".join(lines) if lines else stderr.strip()
    if not message:
        message = f"prometheus {' '.join(argv)} exited {exit_code}"
    kind = PrometheusInputError if exit_code == 2 else PrometheusFailure
    return kind(message, exit_code=exit_code, argv=argv, stderr=stderr)
