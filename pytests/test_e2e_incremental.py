"""End to end: incremental runs restate exactly what changed and end where a full refresh ends.

The scenario book arrives in pieces in one raw folder (the same path throughout, as in
production): the first two snapshots, then a third, then a late price for a past day, then the
last snapshot. After each piece an ordinary `dbt build` runs; at the end a `--full-refresh` build
of the same folder into another warehouse must give identical marts."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
import scenario_flows
from dbt_runner import dbt
from test_e2e_bad_input import marts_fingerprint

pytestmark = pytest.mark.e2e

DATE_COLUMN = {"holdings": "snapshot_date", "prices": "price_date", "fx_rates": "rate_date"}


def publish(full: Path, target: Path, until: str, extra_prices: list[dict] = ()) -> None:
    """Make `target` hold the full book's rows dated on or before `until`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in full.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
        column = DATE_COLUMN.get(path.stem)
        if column:
            rows = [r for r in rows if r[column] <= until]
        if path.stem == "prices":
            rows += list(extra_prices)
        with open(target / path.name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)


def plan(result) -> tuple:
    (row,) = result.query(
        "select cast(restate_from as varchar), restate_reason"
        " from intermediate.int_restatement_plan"
    )
    return row


def test_incremental_days_equal_full_refresh(tmp_path):
    full = scenario_flows.write(tmp_path / "full")
    raw = tmp_path / "raw"
    work = tmp_path / "incremental"
    late_price = {"price_date": "2025-01-12", "instrument_id": "STK1", "price": "10.5"}

    publish(full, raw, "2025-01-10")
    first = dbt(["build"], work, raw=raw)
    assert first.returncode == 0, first.output[-3000:]
    assert plan(first) == ("0001-01-01", "first_build")

    publish(full, raw, "2025-01-16")
    second = dbt(["build"], work, raw=raw)
    assert second.returncode == 0, second.output[-3000:]
    # the new snapshot's date is the first day whose inputs changed
    assert plan(second) == ("2025-01-11", "dated_inputs_changed")

    before_nothing = marts_fingerprint(second.warehouse)
    nothing = dbt(["build"], work, raw=raw)
    assert nothing.returncode == 0, nothing.output[-3000:]
    assert plan(nothing) == (None, "no_change")
    # nothing to restate: the facts compile to empty reads and every mart is unchanged
    assert marts_fingerprint(nothing.warehouse) == before_nothing

    publish(full, raw, "2025-01-16", extra_prices=[late_price])
    late = dbt(["build"], work, raw=raw)
    assert plan(late) == ("2025-01-12", "dated_inputs_changed")
    assert late.query(
        "select financial_aum from marts.fct_customer_assets_daily"
        " where customer_id = 'C1' and as_of_date = '2025-01-12'"
    ) == [(160500,)]

    publish(full, raw, "2025-12-31", extra_prices=[late_price])
    complete = dbt(["build"], work, raw=raw)
    assert complete.returncode == 0, complete.output[-3000:]
    assert plan(complete) == ("2025-01-17", "dated_inputs_changed")

    # a late price inside February: only February is recomputed, its QTD / YTD and month-over-
    # month change built on the January already published
    february_price = {"price_date": "2025-02-10", "instrument_id": "STK1", "price": "11.5"}
    publish(full, raw, "2025-12-31", extra_prices=[late_price, february_price])
    last = dbt(["build"], work, raw=raw)
    assert last.returncode == 0, last.output[-3000:]
    assert plan(last) == ("2025-02-10", "dated_inputs_changed")

    refreshed = dbt(["build", "--full-refresh"], tmp_path / "refreshed", raw=raw)
    assert refreshed.returncode == 0, refreshed.output[-3000:]
    assert plan(refreshed) == ("0001-01-01", "full_refresh")
    assert marts_fingerprint(last.warehouse) == marts_fingerprint(refreshed.warehouse)


def test_configuration_change_restates_everything(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0
    changed = dbt(["build"], work, raw=raw, vars={"fx_max_age_days": 40})
    assert changed.returncode == 0, changed.output[-3000:]
    assert plan(changed) == ("0001-01-01", "undated_input_or_configuration_changed")
    # with 40 days allowed, the USD fund is valued on 01-20 again
    assert changed.query(
        "select is_valued from marts.fct_holding_valuations_daily"
        " where account_id = 'A2' and valuation_date = '2025-01-20'"
    ) == [(True,)]


def test_failed_build_does_not_commit_and_next_run_restates_again(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0
    broken = tmp_path / "broken"
    shutil.copytree(raw, broken)
    with open(broken / "holdings.csv", "a", encoding="utf-8") as fh:
        fh.write("2025-01-10,A1,DD1,1,\n")  # a duplicate key: the build stops
    # the same folder path must be used, so swap the contents
    shutil.rmtree(raw)
    shutil.copytree(broken, raw)
    failed = dbt(["build"], work, raw=raw)
    assert failed.returncode != 0
    assert "Input fingerprints not committed" in failed.output


def test_table_from_an_older_schema_asks_for_full_refresh(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    built = dbt(["build"], work, raw=raw)
    assert built.returncode == 0, built.output[-3000:]
    # simulate a table published by an older version of the project
    with duckdb.connect(str(built.warehouse)) as con:
        con.execute("alter table marts.fct_customer_assets_monthly drop column aum_day_sum")
    again = dbt(["build"], work, raw=raw)
    assert again.returncode != 0
    expected = "was built by an older version of the project (columns added: aum_day_sum"
    assert expected in again.output
    assert "dbt build --full-refresh" in again.output
    refreshed = dbt(["build", "--full-refresh"], work, raw=raw)
    assert refreshed.returncode == 0, refreshed.output[-3000:]
