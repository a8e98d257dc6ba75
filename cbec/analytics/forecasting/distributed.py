"""Running the same backtest and forecast on a cluster, through statsforecast's fugue path.

statsforecast decides where to run from the *type* of the frame it is given: a pandas or
polars frame runs in this process (``n_jobs`` worker processes); a Dask, Spark or Ray frame
goes through its ``FugueBackend``, which groups the rows by ``unique_id`` and runs the very
same model code on the cluster's workers. cbec therefore only has to hand over a different
frame and collect the result — :func:`~.backtest.backtest` and :func:`~.predict.forecast`
take ``engine=`` and are otherwise unchanged.

``engine`` is one of:

* ``None`` — local (default);
* ``"dask"`` — the pandas frame becomes a Dask DataFrame (:func:`to_dask`) and runs on the
  *current* Dask client. Tests use an in-process cluster,
  ``dask.distributed.Client(processes=False)``. For a real cluster, connect first and keep
  the client open while cbec runs::

      from dask.distributed import Client
      client = Client("tcp://scheduler.example:8786")   # the Dask scheduler address
      result = forecast(series, config, engine="dask", partitions=64)

* any callable ``pandas.DataFrame -> distributed frame`` — the hook for the other fugue
  engines, e.g. Spark ``engine=spark_session.createDataFrame`` (with a ``SparkSession``
  built against the cluster master, ``SparkSession.builder.master("spark://…")``) or Ray
  ``engine=ray.data.from_pandas`` (after ``ray.init(address="ray://head:10001")``). cbec does
  not depend on pyspark or ray; install them where you use them. Only the Dask path is
  exercised by cbec's tests.

The results come back as pandas via :func:`collect` (``.compute()`` for Dask,
``.toPandas()`` for Spark, ``.to_pandas()`` for Ray), with fugue's Arrow types (timestamps,
float32 forecasts) converted back to numpy ``datetime64[ns]`` / ``float64`` — so a
distributed run differs from a local one only by float32 rounding (≈ 1e-7 relative).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

Engine = str | Callable[[pd.DataFrame], Any] | None


def to_dask(frame: pd.DataFrame, partitions: int | None = None) -> Any:
    """A Dask DataFrame of ``frame`` with whole series per partition (sorted by id)."""
    import dask.dataframe as dd  # imported here: the local path must not need dask

    n = partitions or 2
    return dd.from_pandas(frame.sort_values(["unique_id", "ds"]), npartitions=n, sort=False)


def distribute(frame: pd.DataFrame, engine: Engine, partitions: int | None = None) -> Any:
    """The frame statsforecast should receive for ``engine`` (see module doc)."""
    if engine is None:
        return frame
    if engine == "dask":
        return to_dask(frame, partitions)
    if callable(engine):
        return engine(frame)
    raise ValueError(f"engine must be None, 'dask' or a callable, not {engine!r}")


def collect(result: Any) -> pd.DataFrame:
    """A local pandas frame with numpy dtypes, whatever engine produced ``result``."""
    if hasattr(result, "compute"):
        result = result.compute()
    elif hasattr(result, "toPandas"):
        result = result.toPandas()
    elif hasattr(result, "to_pandas") and not isinstance(result, pd.DataFrame):
        result = result.to_pandas()
    out = pd.DataFrame(result).reset_index(drop=True)
    for col in out.columns:
        if col in ("ds", "cutoff"):
            out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
        elif col == "unique_id":
            out[col] = out[col].astype(str)
        elif pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].astype("float64")
    return out
