"""Where the dev target's two DuckDB files are (profiles/profiles.yml says the same in Jinja;
the end-to-end tests open the work file by this rule, so the two cannot drift apart unseen)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MARTS_PATH = "warehouse/customer_aum.duckdb"
DEFAULT_SERVING_PATH = "warehouse/serving/customer_aum.duckdb"


def marts_path() -> Path:
    """The marts file the build writes: $AUM_DUCKDB_PATH, else warehouse/customer_aum.duckdb
    (relative paths from the working directory, as dbt-duckdb resolves them)."""
    return Path(os.environ.get("AUM_DUCKDB_PATH") or DEFAULT_MARTS_PATH).absolute()


def work_path(marts: Path | None = None) -> Path:
    """The work file: $AUM_DUCKDB_WORK_PATH, else the marts file with `_work` before `.duckdb`."""
    explicit = os.environ.get("AUM_DUCKDB_WORK_PATH")
    if explicit:
        return Path(explicit).absolute()
    text = str(marts or marts_path())
    stem = text[: -len(".duckdb")] if text.endswith(".duckdb") else text
    return Path(stem + "_work.duckdb").absolute()


def serving_path(project_dir: Path) -> Path:
    """$AUM_SERVING_PATH, else warehouse/serving/customer_aum.duckdb under the project."""
    path = Path(os.environ.get("AUM_SERVING_PATH") or DEFAULT_SERVING_PATH)
    return path if path.is_absolute() else project_dir / path
