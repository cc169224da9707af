"""End to end: incremental runs restate exactly what changed and end where a full refresh ends.

The scenario book arrives in pieces in one raw folder (the same path throughout, as in
production): the first two snapshots, then a third, then a late price for a past day, then the
last snapshot. After each piece an ordinary `dbt build` runs; at the end a `--full-refresh` build
of the same folder into another warehouse must give identical marts."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
import scenario_flows
from dbt_runner import copy_project, dbt
from test_e2e_bad_input import marts_fingerprint

from aum_nightly import paths

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


def edit_rows(raw: Path, table: str, keep=lambda row: True, add: list[dict] = ()) -> None:
    """Rewrite raw/<table>.csv in place: keep the rows `keep` accepts, then append `add`."""
    path = raw / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    rows = [r for r in rows if keep(r)] + [{**dict.fromkeys(fields, ""), **a} for a in add]
    with open(path, "w", newline="", encoding="utf-8") as fh:
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
    # the duplicate removed again: the inputs are what the last good build saw, but the failed
    # run had started on 01-10, so the next run restates from there and then commits
    edit_rows(
        raw,
        "holdings",
        keep=lambda row: (
            not (
                row["snapshot_date"] == "2025-01-10"
                and row["account_id"] == "A1"
                and row["instrument_id"] == "DD1"
                and row["quantity"] == "1"
            )
        ),
    )
    fixed = dbt(["build"], work, raw=raw)
    assert fixed.returncode == 0, fixed.output[-3000:]
    assert plan(fixed) == ("2025-01-10", "previous_run_incomplete")
    settled = dbt(["build"], work, raw=raw)
    assert plan(settled) == (None, "no_change")


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


def test_partial_run_stays_pending_until_a_run_completes(tmp_path):
    """A run that restated some facts and then stopped, followed by inputs going back to what the
    last complete run saw: the next run must still restate those dates (the facts hold the
    partial run's figures), not conclude from the inputs that nothing changed."""
    raw = scenario_flows.write(tmp_path / "raw")
    original = (raw / "prices.csv").read_text(encoding="utf-8")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0

    edit_rows(
        raw, "prices", add=[{"price_date": "2025-01-12", "instrument_id": "STK1", "price": "10.5"}]
    )
    # the valuation facts restate from 01-12; the customer facts and all after them do not run
    partial = dbt(["build", "--exclude", "fct_customer_assets_daily+"], work, raw=raw)
    assert partial.returncode == 0, partial.output[-3000:]
    assert partial.query("select restate_from, restate_reason from meta.pending_restatement") == [
        (date(2025, 1, 12), "dated_inputs_changed")
    ]

    (raw / "prices.csv").write_text(original, encoding="utf-8")  # the late price withdrawn
    resumed = dbt(["build"], work, raw=raw)
    assert resumed.returncode == 0, resumed.output[-3000:]
    assert plan(resumed) == ("2025-01-12", "previous_run_incomplete")
    assert resumed.query(
        "select count(*) from information_schema.tables where table_name = 'pending_restatement'"
    ) == [(0,)]
    refreshed = dbt(["build", "--full-refresh"], tmp_path / "refreshed", raw=raw)
    assert refreshed.returncode == 0, refreshed.output[-3000:]
    assert marts_fingerprint(resumed.warehouse) == marts_fingerprint(refreshed.warehouse)

    again = dbt(["build"], work, raw=raw)
    assert plan(again) == (None, "no_change")


def test_interrupted_run_with_nothing_new_leaves_nothing_pending(tmp_path):
    """A run that found nothing new and was then cut short leaves an empty pending record: the
    next run must still see that nothing changed, not restate the whole window."""
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0
    partial = dbt(["build", "--exclude", "fct_customer_assets_daily+"], work, raw=raw)
    assert partial.returncode == 0, partial.output[-3000:]
    assert plan(partial) == (None, "no_change")
    assert partial.query("select count(*) from meta.pending_restatement") == [(0,)]

    resumed = dbt(["build"], work, raw=raw)
    assert resumed.returncode == 0, resumed.output[-3000:]
    assert plan(resumed) == (None, "no_change")


def test_first_snapshot_deleted_leaves_no_row_before_the_window(tmp_path):
    """The first snapshot goes (a retention purge, a re-dated file): the window now starts on the
    second one, and no fact may keep a day, or a month's figures, from before it."""
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0
    edit_rows(raw, "holdings", keep=lambda row: row["snapshot_date"] != "2025-01-01")
    moved = dbt(["build"], work, raw=raw)
    assert moved.returncode == 0, moved.output[-3000:]
    assert plan(moved) == ("2025-01-10", "dated_inputs_changed")
    assert moved.query("select min(valuation_date) from marts.fct_holding_valuations_daily") == [
        (date(2025, 1, 10),)
    ]
    refreshed = dbt(["build", "--full-refresh"], tmp_path / "refreshed", raw=raw)
    assert refreshed.returncode == 0, refreshed.output[-3000:]
    assert marts_fingerprint(moved.warehouse) == marts_fingerprint(refreshed.warehouse)


def test_engine_output_and_currency_set_are_inputs(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw).returncode == 0
    # the aum_engine schedule values recorded for 01-20 differ from tonight's (as after a fix to
    # the package's day-count code): restate from that day
    with duckdb.connect(str(paths.work_path(work / "warehouse.duckdb"))) as con:
        changed = con.execute(
            "update meta.loaded_input_fingerprints set fingerprint = 'before the fix'"
            " where input_name = 'instrument_schedules' and input_date = '2025-01-20'"
        ).fetchall()
    assert changed == [(1,)]
    engine = dbt(["build"], work, raw=raw)
    assert engine.returncode == 0, engine.output[-3000:]
    assert plan(engine) == ("2025-01-20", "dated_inputs_changed")

    # a first rate for a new currency decides unknown_currency on every date, not only from its
    # rate date on
    edit_rows(
        raw,
        "fx_rates",
        add=[
            {
                "rate_date": "2025-02-20",
                "currency_from": "HKD",
                "currency_to": "CNY",
                "rate": "0.92",
            }
        ],
    )
    currency = dbt(["build"], work, raw=raw)
    assert currency.returncode == 0, currency.output[-3000:]
    assert plan(currency) == ("0001-01-01", "undated_input_or_configuration_changed")


def test_macro_change_restates_everything(tmp_path):
    """A model's checksum covers its own file only; the macros it calls (the flow split,
    to_money) change what the facts hold just as much."""
    project = copy_project(tmp_path / "project")
    raw = scenario_flows.write(tmp_path / "raw")
    work = tmp_path / "work"
    assert dbt(["build"], work, raw=raw, project=project).returncode == 0
    macro = project / "macros" / "customer_holding_contributions.sql"
    text = macro.read_text(encoding="utf-8")
    opening = "{% macro customer_holding_contributions(from_date=none, financial_only=false) %}"
    assert opening in text
    macro.write_text(text.replace(opening, opening + "\n-- edited", 1), encoding="utf-8")
    edited = dbt(["build"], work, raw=raw, project=project)
    assert edited.returncode == 0, edited.output[-3000:]
    assert plan(edited) == ("0001-01-01", "undated_input_or_configuration_changed")
