"""`aum-nightly`: the one nightly command. Build with dbt, then publish the marts to BI.

    aum-nightly --raw-data-path DIR [any further dbt build arguments]

1. build: `dbt build --exclude-resource-type unit_test` (seeds, models, data tests) in this
   process, with `raw_data_path` set to DIR;
2. publish: only when every node succeeded (warnings allowed), the marts are copied into the
   serving file ($AUM_SERVING_PATH, default warehouse/serving/customer_aum.duckdb) and swapped
   in atomically (aum_nightly.publish);
3. a summary: what the build restated, rows published, tests passed / warned, time per stage.

Exit status: 0 when built and published; 1 when the build failed (nothing published); 2 when
the arguments are wrong; 3 when the build succeeded but the publication failed (the serving file
keeps the previous publication)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import yaml
from dbt_common.invocation import get_invocation_id

from aum_nightly import paths
from aum_nightly.publish import Publication, PublicationError, code_version, publish

NIGHTLY = ["build", "--exclude-resource-type", "unit_test"]
EXIT_BUILD_FAILED, EXIT_USAGE, EXIT_PUBLISH_FAILED = 1, 2, 3
# the statuses of a node that did not succeed (macro failed_statuses says the same for the hooks)
FAILED = {"error", "fail", "runtime error", "skipped"}


def say(message: str) -> None:
    print(f"[aum-nightly] {message}", flush=True)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="aum-nightly",
        description="Build the customer AUM project, then publish its marts"
        " to the serving file BI tools read. Further arguments go to `dbt build`.",
    )
    parser.add_argument(
        "--raw-data-path",
        required=True,
        help="folder of raw files (<table>.parquet or <table>.csv)",
    )
    parser.add_argument(
        "--serving-path",
        type=Path,
        help="serving file (default $AUM_SERVING_PATH, else warehouse/serving/customer_aum.duckdb)",
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("--profiles-dir", type=Path)
    parser.add_argument("--target-path", type=Path)
    parser.add_argument("--vars", default=None, help="further dbt vars (YAML or JSON)")
    return parser.parse_known_args(argv)


class UsageError(ValueError):
    """Wrong arguments: nothing was run."""


# A selection builds part of the project: the other marts would be published as an older build
# left them, beside the new ones. The nightly publishes whole builds only.
SELECTION_FLAGS = (
    "--select",
    "-s",
    "--models",
    "-m",
    "--exclude",
    "--selector",
    "--resource-type",
    "--resource-types",
    "--exclude-resource-type",
    "--exclude-resource-types",
)


def dbt_args(args: argparse.Namespace, passthrough: list[str]) -> list[str]:
    selection = [a for a in passthrough if a.split("=")[0] in SELECTION_FLAGS]
    if selection:
        raise UsageError(
            f"{selection[0]}: aum-nightly builds and publishes the whole project;"
            " run dbt itself for a partial build (it is never published)"
        )
    try:
        extra = yaml.safe_load(args.vars) if args.vars else {}
    except yaml.YAMLError as exc:
        raise UsageError(f"--vars is not YAML or JSON: {exc}") from exc
    if not isinstance(extra, dict):
        raise UsageError(f"--vars must be a mapping, got {args.vars!r}")
    if "raw_data_path" in extra:
        raise UsageError("give the raw folder with --raw-data-path, not in --vars")
    raw = Path(args.raw_data_path)
    if not raw.is_dir():
        raise UsageError(f"raw data folder {raw} does not exist")
    profiles = args.profiles_dir or args.project_dir / "profiles"
    cmd = [
        *NIGHTLY,
        "--project-dir",
        str(args.project_dir),
        "--profiles-dir",
        str(profiles),
        "--vars",
        json.dumps({**extra, "raw_data_path": str(raw)}),
    ]
    if args.target_path:
        cmd += ["--target-path", str(args.target_path)]
    return cmd + passthrough


def release_dbt_connections() -> None:
    """dbt-duckdb keeps its DuckDB instance open in this process after a run; close it so the
    publisher can attach the warehouse (DuckDB refuses a second instance of an open file)."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing of dbt-duckdb's to release
        return
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()


def run_build(cmd: list[str]):
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(cmd)
    release_dbt_connections()
    return result


def restatement(work: Path, plan_node) -> str:
    """What the build restated, from its restatement plan (one row, in the work file)."""
    if plan_node is None:
        return "unknown (int_restatement_plan not in this run)"
    with duckdb.connect(str(work), read_only=True) as con:
        row = con.execute(
            f"select cast(restate_from as varchar), restate_reason, changed_inputs"
            f' from "{plan_node.schema}"."{plan_node.alias}"'
        ).fetchone()
    if row is None:
        return "unknown (empty plan)"
    restate_from, reason, changed = row
    if restate_from is None:
        return f"nothing ({reason})"
    if restate_from == "0001-01-01":
        return f"everything ({reason})"
    suffix = f", {changed} changed inputs" if changed is not None else ""
    return f"from {restate_from} on ({reason}{suffix})"


def summarise(results) -> dict:
    statuses: dict[str, Counter] = {}
    warned, failed = [], []
    for r in results:
        kind = r.node.resource_type
        status = str(getattr(r.status, "value", r.status))
        statuses.setdefault(kind, Counter())[status] += 1
        if status == "warn":
            warned.append(f"{r.node.name}: {r.message or r.failures}")
        elif status in FAILED:
            failed.append(
                f"{kind} {r.node.name}: {status}"
                + (f" ({(r.message or '').splitlines()[0]})" if r.message else "")
            )
    return {"statuses": statuses, "warned": warned, "failed": failed}


def unverified_mart_writes(work: Path) -> int:
    """Runs that wrote marts without passing every test since the last clean publication."""
    with duckdb.connect(str(work), read_only=True) as con:
        exists = con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database()"
            " and schema_name = 'meta' and table_name = 'unverified_mart_writes'"
        ).fetchone()[0]
        if not exists:
            return 0
        return con.execute("select count(*) from meta.unverified_mart_writes").fetchone()[0]


def forget_unverified_mart_writes(work: Path) -> None:
    with duckdb.connect(str(work)) as con:
        con.execute("delete from meta.unverified_mart_writes")


def marts_of(results) -> list[str]:
    """Every table the run built in schema marts, in the run's order."""
    return [
        r.node.alias
        for r in results
        if r.node.resource_type == "model"
        and r.node.schema == "marts"
        and r.node.config.materialized in ("table", "incremental")
    ]


def project_version(project_dir: Path) -> str:
    return str(yaml.safe_load((project_dir / "dbt_project.yml").read_text())["version"])


def main(argv: list[str] | None = None) -> int:
    args, passthrough = parse_args(sys.argv[1:] if argv is None else argv)  # exits 2 itself
    try:
        cmd = dbt_args(args, passthrough)
    except UsageError as exc:
        print(f"aum-nightly: {exc}", file=sys.stderr)
        return EXIT_USAGE
    project_dir = args.project_dir.resolve()
    serving = args.serving_path.absolute() if args.serving_path else paths.serving_path(project_dir)
    marts_file, work_file = paths.marts_path(), paths.work_path()
    started = time.perf_counter()

    say(f"1/2 build: dbt {' '.join(cmd)}")
    t0 = time.perf_counter()
    result = run_build(cmd)
    build_seconds = time.perf_counter() - t0
    results = list(getattr(result.result, "results", None) or [])
    summary = summarise(results)
    ok = result.success and result.exception is None and not summary["failed"]
    if not ok:
        say(
            f"build FAILED after {build_seconds:.1f} s: nothing published; the serving file"
            f" {serving} keeps the previous publication"
        )
        if result.exception is not None:
            say(f"  {type(result.exception).__name__}: {result.exception}")
        for line in summary["failed"][:20]:
            say(f"  {line}")
        if len(summary["failed"]) > 20:
            say(f"  ... and {len(summary['failed']) - 20} more")
        return EXIT_BUILD_FAILED
    say(f"build done in {build_seconds:.1f} s")

    plan = next((r.node for r in results if r.node.name == "int_restatement_plan"), None)
    restated = restatement(work_file, plan)
    marts = marts_of(results)
    run_id = get_invocation_id()
    unverified = unverified_mart_writes(work_file)
    mode = (
        f"clean copy: {unverified} earlier run(s) wrote marts without passing every test"
        if unverified
        else "file copy"
    )
    say(f"2/2 publish: {len(marts)} marts -> {serving} ({mode})")
    try:
        publication = publish(
            marts_file,
            serving,
            marts,
            run_id=run_id,
            project_version=project_version(project_dir),
            code_version=code_version(project_dir),
            clean=bool(unverified),
            memory_limit=os.environ.get("AUM_DUCKDB_MEMORY_LIMIT", "12GB"),
        )
    except PublicationError as exc:
        say(f"publication FAILED, the serving file keeps the previous publication: {exc}")
        return EXIT_PUBLISH_FAILED
    if unverified:
        forget_unverified_mart_writes(work_file)
    say(f"published in {publication.seconds:.1f} s")
    print_summary(summary, restated, publication, build_seconds, time.perf_counter() - started)
    return 0


def print_summary(
    summary: dict,
    restated: str,
    publication: Publication,
    build_seconds: float,
    total_seconds: float,
) -> None:
    counts = summary["statuses"]

    def count(kind: str) -> str:
        c = counts.get(kind, Counter())
        return ", ".join(f"{n} {s}" for s, n in sorted(c.items())) or "none"

    lines = [
        "",
        "== aum-nightly summary ==",
        f"run id            {publication.run_id}",
        f"restated          {restated}",
        f"data as of        {publication.data_as_of_date} (window from"
        f" {publication.valuation_start_date})",
        f"models            {count('model')}",
        f"seeds             {count('seed')}",
        f"data tests        {count('test')}",
        f"warnings          {len(summary['warned'])}",
        *[f"  - {w}" for w in summary["warned"]],
        f"published         {len(publication.rows)} marts,"
        f" {sum(publication.rows.values()):,} rows,"
        f" {publication.bytes / 2**20:,.1f} MiB -> {publication.serving_path}"
        f" ({publication.mode})",
        *(
            [f"  dropped, no longer built: {', '.join(publication.dropped)}"]
            if publication.dropped
            else []
        ),
        *[f"  {name:<34}{n:>14,}" for name, n in publication.rows.items()],
        f"time              build {build_seconds:.1f} s, publish {publication.seconds:.1f} s,"
        f" total {total_seconds:.1f} s",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
