"""Prometheus for Python: Spark and Databricks event logs to KPIs, recommendations and fixes.

The same C++ library as the ``prometheus`` binary, in this process::

    import prometheus
    apps = prometheus.analyze("/dbfs/cluster-logs/0101-abc/eventlog")
    for app in apps:
        for r in app.recommendations:
            print(r.severity, r.message)
    apps.to_pandas()          # the stage KPI rows, as `analyze --format csv`

``observe``, ``recommend`` and ``fix`` mirror those commands; ``run`` runs any
command line with its output captured, and ``python -m prometheus ARGS...``
is the binary's command line itself.
"""

from prometheus.commands import Completed, analyze, fix, observe, recommend, run
from prometheus.errors import PrometheusError, PrometheusFailure, PrometheusInputError
from prometheus.model import STAGE_COLUMNS, Analysis, Application, Recommendation, Stage

__version__ = "0.1.0"

__all__ = [
    "STAGE_COLUMNS",
    "Analysis",
    "Application",
    "Completed",
    "PrometheusError",
    "PrometheusFailure",
    "PrometheusInputError",
    "Recommendation",
    "Stage",
    "analyze",
    "fix",
    "observe",
    "recommend",
    "run",
]
