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

PROJECT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class BuildResult:
    returncode: int
    output: str
    warehouse: Path

    def query(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).arrow().read_all().to_pandas()


def copy_project(target: Path) -> Path:
    """A copy of the dbt project (no venv, builds or data), for tests that edit seeds."""
    shutil.copytree(PROJECT, target, ignore=shutil.ignore_patterns(
        ".venv", ".git", "target", "warehouse", "data", "logs", "bench", "pytests", "*.duckdb"))
    return target


def dbt(args: list[str], workdir: Path, raw: Path | None = None, vars: dict | None = None,
        warehouse: Path | None = None, project: Path = PROJECT) -> BuildResult:
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
    cmd = [DBT, *args, "--profiles-dir", str(project / "profiles"),
           "--project-dir", str(project), "--target-path", str(workdir / "target")]
    if all_vars:
        cmd += ["--vars", json.dumps(all_vars)]
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, warehouse)
