"""End to end: `aum-nightly` publishes the marts to a serving file that readers never block.

A second process holds the serving file open, read-only, across a nightly build and its
publication: the build and the publication must neither fail nor wait, the held connection
keeps seeing the old publication whole, and a new connection sees the new one. A build that
fails leaves the serving file byte for byte as it was. The serving file holds schema marts only
and no raw personal data."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import scenario_flows
from dbt_runner import nightly
from test_e2e_bad_input import append_rows, marts_fingerprint
from test_e2e_incremental import publish

pytestmark = pytest.mark.e2e

# A reader process: answers with one JSON line of what it sees on start, then again through the
# same connection on each line of stdin. (A new connection inside a process that still holds one
# shares that database instance, so "reconnect" means: close every connection, or a new process.)
READER = textwrap.dedent("""
    import json, sys, duckdb
    path = sys.argv[1]
    QUERY = (
        "select m.run_id, cast(m.data_as_of_date as varchar),"
        " (select cast(max(as_of_date) as varchar) from marts.fct_customer_assets_daily),"
        " (select cast(sum(month_end_aum) as varchar) from marts.fct_customer_assets_monthly)"
        " from marts.meta_publication m")
    held = duckdb.connect(path, read_only=True)
    print(json.dumps(held.execute(QUERY).fetchone()), flush=True)
    for line in sys.stdin:
        print(json.dumps(held.execute(QUERY).fetchone()), flush=True)
""")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Reader:
    def __init__(self, serving: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(serving)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.first = self._answer()

    def _answer(self):
        line = self.proc.stdout.readline()
        assert line, "the reader process died"
        return json.loads(line)

    def ask(self):
        self.proc.stdin.write("again\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def fresh_look(serving: Path):
    """What a reader that connects now sees (its own process, so no shared instance)."""
    reader = Reader(serving)
    reader.close()
    return reader.first


def test_reader_never_blocks_and_failed_build_leaves_serving_untouched(tmp_path):
    full = scenario_flows.write(tmp_path / "full")
    raw = tmp_path / "raw"
    work = tmp_path / "work"
    serving = tmp_path / "serving" / "customer_aum.duckdb"

    publish(full, raw, "2025-01-16")
    first = nightly(work, raw, serving)
    assert first.returncode == 0, first.output[-4000:]
    assert "== aum-nightly summary ==" in first.output
    assert "restated          everything (first_build)" in first.output
    assert serving.exists()
    assert marts_fingerprint(serving) == marts_fingerprint(first.warehouse)

    reader = Reader(serving)
    try:
        old_run, old_as_of, old_last_day, old_sum = reader.first
        assert old_as_of == old_last_day  # a published window ends on its last valued day

        # a new day arrives: build and publish while the reader holds the serving file open
        publish(full, raw, "2025-12-31")
        second = nightly(work, raw, serving)
        assert second.returncode == 0, second.output[-4000:]
        assert "restated          from 2025-01-17 on (dated_inputs_changed" in second.output

        # the held connection still sees the old publication, whole
        assert reader.ask() == [old_run, old_as_of, old_last_day, old_sum]
        # a new connection sees the new one, whole
        new_run, new_as_of, new_last_day, new_sum = fresh_look(serving)
        assert new_run != old_run and new_as_of == new_last_day == "2025-02-28"
        assert new_sum != old_sum
        assert marts_fingerprint(serving) == marts_fingerprint(second.warehouse)

        # a bad input (a holding twice in one snapshot) fails the build: nothing is published
        before = sha256(serving)
        append_rows(
            raw / "holdings.csv",
            [
                {
                    "snapshot_date": "2025-02-28",
                    "account_id": "A1",
                    "instrument_id": "DD1",
                    "quantity": "1",
                }
            ],
        )
        failed = nightly(work, raw, serving)
        assert failed.returncode == 1, failed.output[-4000:]
        assert "build FAILED" in failed.output and "nothing published" in failed.output
        assert sha256(serving) == before
        assert fresh_look(serving) == [new_run, new_as_of, new_last_day, new_sum]
    finally:
        reader.close()


def test_serving_holds_marts_only_and_no_personal_data(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    serving = tmp_path / "serving.duckdb"
    result = nightly(tmp_path / "work", raw, serving)
    assert result.returncode == 0, result.output[-4000:]
    with duckdb.connect(str(serving), read_only=True) as con:
        objects = con.execute(
            "select distinct schema_name from duckdb_tables()"
            " union select distinct schema_name from duckdb_views() where not internal"
        ).fetchall()
        assert objects == [("marts",)]
        meta = con.execute(
            "select run_id, cast(data_as_of_date as varchar),"
            " cast(valuation_start_date as varchar), published_at is not null,"
            " project_version from marts.meta_publication"
        ).fetchall()
        texts = con.execute(
            "select table_name, column_name from duckdb_columns()"
            " where schema_name = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        values = set()
        for table, column in texts:
            values |= {
                v
                for (v,) in con.execute(
                    f'select distinct "{column}" from marts."{table}"'
                ).fetchall()
            }
    assert len(meta) == 1 and meta[0][1:] == ("2025-02-28", "2025-01-01", True, "0.1.0")
    customers = (raw / "customers.csv").read_text(encoding="utf-8").splitlines()
    header = customers[0].split(",")
    personal = set()
    for line in customers[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        personal |= {row[c] for c in ("customer_name", "id_number", "mobile") if row.get(c)}
    assert personal and not personal & values


def test_publication_after_an_unverified_run_is_a_clean_copy(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    serving = tmp_path / "serving.duckdb"
    assert nightly(work, raw, serving).returncode == 0
    # a plain `dbt run` writes marts without running any test
    from dbt_runner import dbt

    ran = dbt(["run"], work, raw=raw)
    assert ran.returncode == 0, ran.output[-3000:]
    assert ran.query("select command from meta.unverified_mart_writes") == [("run",)]
    again = nightly(work, raw, serving)
    assert again.returncode == 0, again.output[-4000:]
    assert "(clean copy)" in again.output
    assert again.query("select count(*) from meta.unverified_mart_writes") == [(0,)]
    assert marts_fingerprint(serving) == marts_fingerprint(again.warehouse)
    third = nightly(work, raw, serving)
    assert third.returncode == 0 and "(file copy)" in third.output, third.output[-4000:]


def test_usage_errors_exit_2_and_run_nothing(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    serving = tmp_path / "serving.duckdb"
    partial = nightly(tmp_path / "work", raw, serving, extra=["--select", "dim_customers"])
    assert partial.returncode == 2 and "builds and publishes the whole project" in partial.output
    missing = nightly(tmp_path / "work", tmp_path / "nowhere", serving)
    assert missing.returncode == 2 and "does not exist" in missing.output
    assert not serving.exists() and not (tmp_path / "work" / "warehouse.duckdb").exists()
