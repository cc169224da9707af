"""Publish the marts of a successful build into the serving DuckDB file BI tools read.

The build writes schema `marts`, and nothing else, into its own file (the marts file,
$AUM_DUCKDB_PATH); everything else a build needs lives in the work file (profiles/profiles.yml).
A publication (docs/serving.md says why this design):

1. checkpoints the marts file, so it has no write-ahead log, and copies it, as a file, to a new
   file beside the serving file (a clean publication copies the tables one by one instead, see
   below);
2. in that copy: drops any table the project no longer builds, checks that no schema but
   `marts` holds anything, writes `marts.meta_publication`, checkpoints, closes and fsyncs;
3. renames the copy over the serving file with `os.replace`.

On POSIX systems the rename is atomic: a reader holding the old serving file open keeps reading
the old publication (its open file keeps the old inode), a reader that connects afterwards sees
the new one whole, and nobody waits on a lock, because the publisher never opens the serving
file itself. Anything that fails before the rename leaves the serving file as it was.

A file copy also carries the marts file's free blocks: bytes of tables that later builds
replaced. When a build that wrote marts did not pass every test (the privacy test included),
those bytes were never checked, so the next publication is clean: the tables are copied row by
row into a fresh file, which holds no free block of the marts file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SCHEMA = "marts"
META_TABLE = "meta_publication"


class PublicationError(RuntimeError):
    """The publication could not be made; the serving file is as it was."""


@dataclass
class Publication:
    serving_path: Path
    run_id: str
    data_as_of_date: str | None
    valuation_start_date: str | None
    published_at: datetime
    mode: str  # "file copy" or "clean copy"
    rows: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0


def code_version(project_dir: Path) -> str | None:
    """The git commit of the project, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def publish(
    marts_path: Path,
    serving_path: Path,
    marts: list[str],
    run_id: str,
    project_version: str,
    code_version: str | None,
    clean: bool = False,
    memory_limit: str | None = None,
) -> Publication:
    """Publish `marts` (the tables of schema marts the project builds) from the marts file into
    the serving file. Raises PublicationError, leaving the serving file untouched, on any
    problem."""
    started = time.perf_counter()
    marts_path, serving_path = Path(marts_path).absolute(), Path(serving_path).absolute()
    if not marts_path.exists():
        raise PublicationError(f"marts file {marts_path} does not exist")
    if marts_path.resolve() == (serving_path.resolve() if serving_path.exists() else serving_path):
        raise PublicationError(
            f"AUM_SERVING_PATH ({serving_path}) is the marts file the build"
            " writes; BI must read a separate file"
        )
    if not marts:
        raise PublicationError("no mart to publish: the build built no model in schema marts")
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    # same folder as the serving file, so the rename stays on one file system (atomic there)
    tmp = serving_path.with_name(f".{serving_path.name}.{run_id}.publishing")
    published_at = datetime.now(UTC).replace(tzinfo=None)
    config = {"preserve_insertion_order": False}
    if memory_limit:
        config["memory_limit"] = memory_limit
    try:
        for leftover in (tmp, wal(tmp)):
            leftover.unlink(missing_ok=True)
        if clean:
            con = duckdb.connect(str(tmp), config=config)
            rows, dropped = _copy_tables(con, marts_path, marts), []
        else:
            _checkpoint(marts_path, config)
            shutil.copyfile(marts_path, tmp)
            con = duckdb.connect(str(tmp), config=config)
            rows, dropped = _keep_only(con, marts)
        try:
            _check_only_marts(con, tmp)
            as_of, window_start = _window(con)
            _write_meta(
                con, run_id, as_of, window_start, published_at, project_version, code_version
            )
            con.execute("checkpoint")
        finally:
            con.close()
        if wal(tmp).exists():
            raise PublicationError(f"{tmp} kept a write-ahead log after its checkpoint")
        _fsync(tmp)
        os.replace(tmp, serving_path)
        _fsync(serving_path.parent)
    except PublicationError:
        _remove(tmp)
        raise
    except (duckdb.Error, OSError) as exc:
        _remove(tmp)
        raise PublicationError(f"{type(exc).__name__}: {exc}") from exc
    return Publication(
        serving_path,
        run_id,
        as_of,
        window_start,
        published_at,
        "clean copy" if clean else "file copy",
        rows,
        dropped,
        time.perf_counter() - started,
        serving_path.stat().st_size,
    )


def _remove(tmp: Path) -> None:
    for path in (tmp, wal(tmp)):
        path.unlink(missing_ok=True)


def _checkpoint(marts_path: Path, config: dict) -> None:
    """Fold any write-ahead log into the marts file, so the file alone is the whole state."""
    con = duckdb.connect(str(marts_path), config=config)
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    if wal(marts_path).exists():
        raise PublicationError(f"{marts_path} kept a write-ahead log after its checkpoint")


def _tables(con, database: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select table_name, sql from duckdb_tables()"
            " where database_name = ? and schema_name = ?",
            [database, SCHEMA],
        ).fetchall()
    )


def _count(con, table: str) -> int:
    return con.execute(f"select count(*) from {SCHEMA}.{quote(table)}").fetchone()[0]


def _require(tables: dict[str, str], marts: list[str]) -> None:
    missing = [m for m in marts if m not in tables]
    if missing:
        raise PublicationError(f"marts missing from the marts file: {', '.join(missing)}")


def _keep_only(con, marts: list[str]) -> tuple[dict[str, int], list[str]]:
    """In the file copy: every mart present, and nothing else in schema marts."""
    tables = _tables(con, con.execute("select current_database()").fetchone()[0])
    _require(tables, marts)
    dropped = sorted(set(tables) - set(marts))
    for table in dropped:  # left by an older version of the project
        con.execute(f"drop table {SCHEMA}.{quote(table)}")
    return {m: _count(con, m) for m in marts}, dropped


def _copy_tables(con, marts_path: Path, marts: list[str]) -> dict[str, int]:
    """The clean copy: each mart's rows into a fresh file, with its DDL and comments."""
    con.execute(f"attach {literal(str(marts_path))} as build (read_only)")
    tables = _tables(con, "build")
    _require(tables, marts)
    con.execute(f"create schema {SCHEMA}")
    for mart in marts:
        # the build's own DDL (types, NOT NULL), unqualified by catalog: lands in the new file
        con.execute(tables[mart])
        con.execute(
            f"insert into {SCHEMA}.{quote(mart)} select * from build.{SCHEMA}.{quote(mart)}"
        )
    for table, comment in con.execute(
        "select table_name, comment from duckdb_tables() where database_name = 'build'"
        " and schema_name = ? and comment is not null",
        [SCHEMA],
    ).fetchall():
        if table in marts:
            con.execute(f"comment on table {SCHEMA}.{quote(table)} is {literal(comment)}")
    for table, column, comment in con.execute(
        "select table_name, column_name, comment from duckdb_columns()"
        " where database_name = 'build' and schema_name = ? and comment is not null",
        [SCHEMA],
    ).fetchall():
        if table in marts:
            con.execute(
                f"comment on column {SCHEMA}.{quote(table)}.{quote(column)} is {literal(comment)}"
            )
    con.execute("detach build")
    return {m: _count(con, m) for m in marts}


def _check_only_marts(con, path: Path) -> None:
    """The serving file holds schema marts only (DuckDB's empty default schema `main` aside)."""
    database = con.execute("select current_database()").fetchone()[0]
    others = con.execute(
        "select distinct schema_name from ("
        " select schema_name from duckdb_tables() where database_name = ?"
        " union all select schema_name from duckdb_views() where database_name = ?"
        " and not internal"
        " union all select schema_name from duckdb_sequences() where database_name = ?"
        " union all select schema_name from duckdb_functions() where database_name = ?"
        " and not internal"
        ") where schema_name <> ?",
        [database] * 4 + [SCHEMA],
    ).fetchall()
    if others:
        raise PublicationError(
            f"the marts file holds objects outside schema {SCHEMA} ("
            + ", ".join(s for (s,) in others)
            + "): only marts may be published"
        )


def _window(con) -> tuple[str | None, str | None]:
    """Last valued day and the window's first day, from the published valuation fact."""
    return con.execute(
        "select cast(max(valuation_date) filter (where is_valued) as varchar),"
        f" cast(min(valuation_date) as varchar) from {SCHEMA}.fct_holding_valuations_daily"
    ).fetchone()


META_TABLE_COMMENT = (
    "Grain: one row. What this serving file holds and as of when (发布信息): "
    "written by aum-nightly when it publishes a fully successful build."
)
META_COMMENTS = {
    "run_id": "dbt invocation id of the build that was published (构建批次号).",
    "data_as_of_date": "Last day with a valued holding in the published facts (数据日期).",
    "valuation_start_date": "First day of the valuation window (估值起始日).",
    "published_at": "When the publication was made, UTC (发布时间).",
    "project_version": "Version of the dbt project (dbt_project.yml) that built it (项目版本).",
    "code_version": "Git commit of the project, null outside a git checkout (代码版本).",
}


def _write_meta(con, run_id, as_of, window_start, published_at, project_version, code_version):
    con.execute(f"drop table if exists {SCHEMA}.{META_TABLE}")
    con.execute(f"""
        create table {SCHEMA}.{META_TABLE} (
            run_id varchar not null,
            data_as_of_date date,
            valuation_start_date date,
            published_at timestamp not null,
            project_version varchar not null,
            code_version varchar
        )""")
    con.execute(
        f"insert into {SCHEMA}.{META_TABLE} values (?, ?, ?, ?, ?, ?)",
        [run_id, as_of, window_start, published_at, project_version, code_version],
    )
    con.execute(f"comment on table {SCHEMA}.{META_TABLE} is {literal(META_TABLE_COMMENT)}")
    for column, text in META_COMMENTS.items():
        con.execute(f"comment on column {SCHEMA}.{META_TABLE}.{column} is {literal(text)}")


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
