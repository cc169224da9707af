"""Run the dbt project end to end on a raw folder, in isolation (own warehouse and target)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aum_nightly import paths

PROJECT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Read-only: the marts file, with the work file attached (if built) and both on the search
    path, so `marts.x` and `intermediate.x` / `meta.x` resolve as in one warehouse."""
    con = duckdb.connect(str(warehouse), read_only=True)
    work = paths.work_path(Path(warehouse))
    search = [f"{con.execute('select current_database()').fetchone()[0]}.marts"]
    if work.exists():
        con.execute(f"attach '{work}' as __aum_work (read_only)")
        present = {
            s
            for (s,) in con.execute(
                "select schema_name from duckdb_schemas() where database_name = '__aum_work'"
            ).fetchall()
        }
        search += [
            f"__aum_work.{s}" for s in ("intermediate", "meta", "seeds", "main") if s in present
        ]
    con.execute(f"set search_path = '{','.join(search)}'")
    return con


@dataclass
class BuildResult:
    returncode: int
    output: str
    warehouse: Path

    def query(self, sql: str, params=None) -> list[tuple]:
        with connect(self.warehouse) as con:
            return con.execute(sql, params or []).fetchall()

    def frame(self, sql: str):
        with connect(self.warehouse) as con:
            return con.execute(sql).df()


def copy_warehouse(source: Path, target: Path) -> Path:
    """Copy a built warehouse: the marts file and its work file."""
    shutil.copy(source, target)
    if paths.work_path(source).exists():
        shutil.copy(paths.work_path(source), paths.work_path(target))
    return target


def copy_project(target: Path) -> Path:
    """A copy of the dbt project (no venv, builds or data), for tests that edit seeds."""
    shutil.copytree(
        PROJECT,
        target,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "target", "warehouse", "data", "logs", "bench", "pytests", "*.duckdb"
        ),
    )
    return target


def dbt(
    args: list[str],
    workdir: Path,
    raw: Path | None = None,
    vars: dict | None = None,
    warehouse: Path | None = None,
    project: Path = PROJECT,
) -> BuildResult:
    """Run `dbt <args>` against the project with its own warehouse file and target folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse or workdir / "warehouse.duckdb"
    all_vars = dict(vars or {})
    if raw is not None:
        all_vars["raw_data_path"] = str(raw)
    env = {
        **os.environ,
        "AUM_DUCKDB_PATH": str(warehouse),
        "AUM_DUCKDB_TEMP_DIR": str(workdir / "duckdb_tmp"),
        "AUM_DUCKDB_MEMORY_LIMIT": "4GB",
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    cmd = [
        DBT,
        *args,
        "--profiles-dir",
        str(project / "profiles"),
        "--project-dir",
        str(project),
        "--target-path",
        str(workdir / "target"),
    ]
    if all_vars:
        cmd += ["--vars", json.dumps(all_vars)]
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, warehouse)


def nightly(
    workdir: Path, raw: Path, serving: Path, extra: list[str] = (), warehouse: Path | None = None
) -> BuildResult:
    """Run `aum-nightly` (build, then publish to `serving`) with its own warehouse and target."""
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse or workdir / "warehouse.duckdb"
    env = {
        **os.environ,
        "AUM_DUCKDB_PATH": str(warehouse),
        "AUM_SERVING_PATH": str(serving),
        "AUM_DUCKDB_TEMP_DIR": str(workdir / "duckdb_tmp"),
        "AUM_DUCKDB_MEMORY_LIMIT": "4GB",
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    cmd = [
        str(Path(sys.executable).with_name("aum-nightly")),
        "--raw-data-path",
        str(raw),
        "--target-path",
        str(workdir / "target"),
        *extra,
    ]
    proc = subprocess.run(cmd, cwd=PROJECT, env=env, capture_output=True, text=True)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, warehouse)
