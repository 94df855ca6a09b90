"""One way to get a SparkSession that groundswell's queries and ingest can rely on.

The settings here are not tuning; they are what makes Spark give the same answers as DuckDB:

* ``spark.sql.session.timeZone=UTC``: every bin (``date_trunc``) and every partition date is a UTC one, as
  on DuckDB, whatever the cluster's machines are set to;
* ``spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS``: the store's Parquet files hold standard
  microsecond timestamps (Spark's default, INT96, is deprecated and unreadable to some tools), so DuckDB,
  pyarrow and pandas can read the dataset too;
* ``spark.sql.execution.arrow.pyspark.enabled``: results come back to Python as Arrow, not row by row.

On a cluster, ``spark-submit`` (or the notebook) usually makes the session; :func:`spark_session` then
returns that one, with these settings applied on top.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: settings every groundswell session gets (see the module docstring for why)
REQUIRED_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # a file's records are one task; a few hundred MB of Arrow per batch is too much for one Python worker
    "spark.sql.execution.arrow.maxRecordsPerBatch": "10000",
}

#: defaults for a session groundswell starts itself (a cluster's own settings win when it made the session)
DEFAULT_CONF: dict[str, str] = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.adaptive.enabled": "true",
}


def spark_session(
    master: str | None = "local[*]", *, app_name: str = "groundswell", conf: dict[str, Any] | None = None
):
    """The active SparkSession (or a new one on ``master``), with groundswell's required settings.

    ``master``: ``local[*]`` (all cores of this machine), ``local[2]``, ``spark://host:7077``, ``yarn``,
    ``k8s://…``; ``None`` leaves it to ``spark-submit``. ``conf``: more settings, e.g.
    ``{"spark.executor.memory": "8g"}``.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError("the spark engine needs pyspark: pip install 'groundswell[spark]'") from e
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if (master or "").startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # local workers must be this interpreter (this virtualenv, where groundswell is installed), not `python3`
        os.environ["PYSPARK_PYTHON"] = sys.executable
    for k, v in {**DEFAULT_CONF, **(conf or {}), **REQUIRED_CONF}.items():
        builder = builder.config(k, str(v))
    spark = builder.getOrCreate()
    for k, v in REQUIRED_CONF.items():  # getOrCreate returns an existing session as it is: set them anyway
        spark.conf.set(k, v)
    spark.sparkContext.setLogLevel("ERROR")  # task failures still raise; Spark's INFO/WARN chatter is not ours to print
    return spark
