"""End to end: the pipeline's behaviour on every class of bad input (docs/data-quality.md).

Each test builds the project on a small hand-made raw folder with one defect class injected and
asserts the documented outcome: the error text, the exception rows and reasons, the
reconciliation counts, and, for key conflicts, the untouched previous marts."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
import scenario_flows
from dbt_runner import copy_warehouse, dbt
from rawdata import customer

pytestmark = pytest.mark.e2e

MARTS = [
    "fct_holding_valuations_daily",
    "fct_valuation_exceptions",
    "fct_customer_assets_daily",
    "fct_customer_assets_monthly",
    "dim_customers",
    "fct_customer_tiers_monthly",
    "dim_customer_tier_history",
    "fct_tier_migrations_monthly",
    "fct_input_exceptions",
]


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[dict], fields: list[str] | None = None) -> None:
    fields = fields or list(rows[0].keys())
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def append_rows(path: Path, rows: list[dict]) -> None:
    existing = read_csv(path)
    fields = list(existing[0].keys())
    write_csv(path, existing + rows, fields)


def marts_fingerprint(warehouse: Path) -> dict[str, str]:
    """A content hash of every mart (order-independent)."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart in MARTS:
            rows = con.execute(f"select * from marts.{mart}").fetchall()
            digest = hashlib.sha256()
            for line in sorted(repr(r) for r in rows):
                digest.update(line.encode())
            out[mart] = f"{len(rows)}:{digest.hexdigest()}"
    return out


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A clean build of the scenario book, reused as 'the last good version'."""
    root = tmp_path_factory.mktemp("good")
    raw = scenario_flows.write(root / "raw")
    result = dbt(["build"], root / "work", raw=raw)
    assert result.returncode == 0, result.output[-4000:]
    return root, raw, result


# --- the raw-file contract: stop before any model --------------------------------------------


def test_missing_required_column_names_file_and_column(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    csv_path = raw / "holdings.csv"
    duckdb.sql(
        f"copy (select * exclude (quantity) from read_csv('{csv_path}'))"
        f" to '{raw / 'holdings.parquet'}' (format parquet)"
    )
    csv_path.unlink()
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode != 0
    expected = f"raw file {raw}/holdings.parquet is missing required column(s): quantity"
    assert expected in result.output
    assert "OK created" not in result.output  # nothing was built on bad data


def test_missing_required_table_and_column_in_one_message(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    (raw / "prices.csv").unlink()
    rows = read_csv(raw / "fx_rates.csv")
    write_csv(raw / "fx_rates.csv", rows, ["rate_date", "currency_from", "currency_to"])
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode != 0
    assert f"required raw table 'prices' not found: expected {raw}/prices.parquet" in result.output
    assert f"raw file {raw}/fx_rates.csv is missing required column(s): rate" in result.output


def test_unreadable_file_stops_the_run_naming_it(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    (raw / "prices.csv").unlink()
    (raw / "prices.parquet").write_bytes(b"this is not parquet")
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode != 0
    assert f"{raw}/prices.parquet" in result.output
    assert "OK created" not in result.output


def test_absent_optional_tables_are_fine(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    (raw / "account_holders.csv").unlink()  # A3 then belongs wholly to its customer_id, C2
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode == 0, result.output[-3000:]
    assert result.query(
        "select financial_aum from marts.fct_customer_assets_daily"
        " where customer_id = 'C2' and as_of_date = '2025-01-01'"
    ) == [(170000,)]


# --- row-level defects: kept, flagged, never counted in AUM -----------------------------------


@pytest.fixture(scope="module")
def defects(tmp_path_factory):
    # a folder whose path has a space and a quote: it must be escaped wherever it meets SQL
    root = tmp_path_factory.mktemp("defects")
    raw = scenario_flows.write(root / "raw data's folder")
    append_rows(
        raw / "instruments.csv",
        [
            {
                "instrument_id": "BADCLS",
                "instrument_name": "x",
                "asset_class": "crypto",
                "currency": "CNY",
            },
            {
                "instrument_id": "BADMTH",
                "instrument_name": "x",
                "asset_class": "stock",
                "currency": "CNY",
                "valuation_method": "mark_to_model",
            },
            {
                "instrument_id": "BADCCY",
                "instrument_name": "x",
                "asset_class": "demand_deposit",
                "currency": "XYZ",
            },
            {
                "instrument_id": "BONDX",
                "instrument_name": "no coupon data",
                "asset_class": "bond",
                "currency": "CNY",
                "start_date": "2020-01-01",
                "maturity_date": "2030-01-01",
            },
            {
                "instrument_id": "BONDM",
                "instrument_name": "matured",
                "asset_class": "bond",
                "currency": "CNY",
                "rate": "0.03",
                "coupon_frequency": "1",
                "day_count": "ACT/365F",
                "start_date": "2020-01-10",
                "maturity_date": "2025-01-10",
            },
            {
                "instrument_id": "TDX",
                "instrument_name": "no rate",
                "asset_class": "time_deposit",
                "currency": "CNY",
                "start_date": "2025-01-01",
            },
        ],
    )
    append_rows(
        raw / "prices.csv",
        [
            {"price_date": "2025-01-01", "instrument_id": "BADMTH", "price": "1"},
            {"price_date": "2025-01-01", "instrument_id": "BONDM", "price": "100"},
            {"price_date": "2025-01-05", "instrument_id": "STK1", "price": "n/a"},
        ],
    )
    bad_holdings = [
        ("BADCLS", "1000"),
        ("BADMTH", "1000"),
        ("BADCCY", "1000"),
        ("BONDX", "10000"),
        ("BONDM", "10000"),
        ("TDX", "5000"),
        ("NOSUCH", "1"),
        ("DD1", "abc"),
    ]
    rows = []
    for snap in scenario_flows.SNAPSHOTS:
        rows += [
            {"snapshot_date": snap, "account_id": "A9", "instrument_id": i, "quantity": q}
            for i, q in bad_holdings
        ]
        rows.append(
            {
                "snapshot_date": snap,
                "account_id": "A_GHOST",
                "instrument_id": "DD1",
                "quantity": "5",
            }
        )
        rows.append(
            {"snapshot_date": snap, "account_id": "A9", "instrument_id": "STK1", "quantity": "-100"}
        )
    rows.append(
        {"snapshot_date": "2025-13-01", "account_id": "A9", "instrument_id": "DD1", "quantity": "1"}
    )
    append_rows(raw / "holdings.csv", rows)
    append_rows(
        raw / "accounts.csv",
        [
            {
                "account_id": "A9",
                "customer_id": "C3",
                "account_type": "wealth",
                "open_date": "2020-01-01",
            }
        ],
    )
    # accounts without a usable owner: no customer_id and no holders; holders with a missing
    # share (the valid one alone sums to 1); holders with out-of-range shares summing to 1
    append_rows(
        raw / "accounts.csv",
        [
            {
                "account_id": a,
                "customer_id": c,
                "account_type": "savings",
                "open_date": "2020-01-01",
            }
            for a, c in [
                ("A_NOOWNER", ""),
                ("A_BADSHARE", "C1"),
                ("A_RANGE", "C1"),
                ("A_ORPHAN", "C_NOBODY"),
            ]
        ],
    )
    append_rows(
        raw / "account_holders.csv",
        [
            {"account_id": "A_BADSHARE", "customer_id": "C1", "ownership_share": "1"},
            {"account_id": "A_BADSHARE", "customer_id": "C2", "ownership_share": ""},
            {"account_id": "A_RANGE", "customer_id": "C1", "ownership_share": "1.2"},
            {"account_id": "A_RANGE", "customer_id": "C3", "ownership_share": "-0.2"},
        ],
    )
    append_rows(
        raw / "holdings.csv",
        [
            {"snapshot_date": snap, "account_id": a, "instrument_id": "DD1", "quantity": "1000"}
            for snap in scenario_flows.SNAPSHOTS
            for a in ("A_NOOWNER", "A_BADSHARE", "A_RANGE", "A_ORPHAN")
        ],
    )
    # personal data of unexpected formats: short ID numbers and mobiles, a one-character name
    append_rows(
        raw / "customers.csv",
        [
            customer("C8", customer_name="李", id_number="A123456789", mobile="91234567"),
            customer("C9", customer_name="Li", id_number="X1234", mobile="12345"),
        ],
    )
    result = dbt(["build"], root / "work", raw=raw)
    assert result.returncode == 0, result.output[-5000:]
    return result


def test_each_defect_is_an_exception_with_its_reason(defects):
    got = dict(
        defects.query(
            "select account_id || '/' || instrument_id, exception_reason"
            " from marts.fct_holding_valuations_daily where valuation_date = '2025-01-20'"
            " and not is_valued"
        )
    )
    assert got == {
        "A9/BADCLS": "unknown_asset_class",
        "A9/BADMTH": "unknown_valuation_method",
        "A9/BADCCY": "unknown_currency",
        "A9/BONDX": "missing_bond_terms",
        "A9/BONDM": "bond_after_maturity",
        "A9/TDX": "missing_rate",
        "A9/NOSUCH": "unknown_instrument",
        "A9/DD1": "unparseable_quantity",
        "A_GHOST/DD1": "unknown_account",
        "A_NOOWNER/DD1": "unowned_account",
        "A_BADSHARE/DD1": "unowned_account",
        "A_RANGE/DD1": "unowned_account",
        "A9/STK1": "negative_quantity",
        "A2/MMF1": "fx_rate_stale",
    }
    listed = defects.query(
        "select count(*) from marts.fct_valuation_exceptions where valuation_date = '2025-01-20'"
        " and severity = 'error'"
    )
    assert listed == [(len(got),)]


def test_bond_before_maturity_is_valued_then_unvalued_after(defects):
    rows = defects.query(
        "select valuation_date, is_valued, exception_reason from marts.fct_holding_valuations_daily"
        " where instrument_id = 'BONDM' and valuation_date between '2025-01-09' and '2025-01-11'"
        " order by 1"
    )
    assert [(str(d), v, r) for d, v, r in rows] == [
        ("2025-01-09", True, None),
        ("2025-01-10", True, None),
        ("2025-01-11", False, "bond_after_maturity"),
    ]


def test_unparseable_keys_and_values_reach_input_exceptions(defects):
    rows = defects.query(
        "select source_table, input_issue, severity, affected_rows from marts.fct_input_exceptions"
        " order by 1, 2"
    )
    assert ("holdings", "unparseable_snapshot_date", "error", 1) in rows
    # one record per snapshot: the same bad quantity delivered on four snapshot dates
    assert rows.count(("holdings", "unparseable_quantity", "error", 1)) == 4
    assert ("prices", "unparseable_price", "error", 1) in rows
    assert ("accounts", "missing_customer_id", "error", 1) in rows
    assert ("account_holders", "missing_ownership_share", "error", 1) in rows
    assert rows.count(("account_holders", "ownership_share_out_of_range", "error", 1)) == 2


def test_accounts_without_a_usable_owner_count_for_nobody(good, defects):
    # their 3 x 1,000 CNY are unvalued, so no customer's AUM holds any of it: C1 and C2, named
    # on those accounts, have exactly the clean book's figures every day (C3, also named, owns
    # A9 here: its 01-20 figure is pinned by test_nothing_unvalued_counts_in_aum...)
    sql = (
        "select customer_id, as_of_date, financial_aum from marts.fct_customer_assets_daily"
        " where customer_id in ('C1', 'C2') order by 1, 2"
    )
    clean = good[2].query(sql)
    assert clean and defects.query(sql) == clean
    assert defects.query(
        "select count(*) from intermediate.int_holding_owners"
        " where account_id in ('A_NOOWNER', 'A_BADSHARE', 'A_RANGE')"
    ) == [(0,)]


def test_owner_missing_from_the_customer_master_keeps_the_aum(defects):
    # A_ORPHAN's owner C_NOBODY is not in customers: the 1,000 CNY count for C_NOBODY, the
    # dimension carries the customer with unknown attributes, and the account row is listed
    assert defects.query(
        "select financial_aum from marts.fct_customer_assets_daily"
        " where customer_id = 'C_NOBODY' and as_of_date = '2025-01-20'"
    ) == [(1000,)]
    assert defects.query(
        "select is_in_customer_master, age_band, branch_id, latest_financial_aum"
        " from marts.dim_customers where customer_id = 'C_NOBODY'"
    ) == [(False, "unknown", None, 1000)]
    assert defects.query(
        "select source_table, severity, affected_rows from marts.fct_input_exceptions"
        " where input_issue = 'unknown_customer'"
    ) == [("accounts", "warn", 1)]
    assert defects.query(
        "select count(*) from marts.dim_customers where not is_in_customer_master"
    ) == [(1,)]


def test_personal_data_of_unexpected_formats_is_mostly_masked(defects):
    rows = defects.query(
        "select customer_id, customer_name_masked, id_number_masked, mobile_masked"
        " from marts.dim_customers where customer_id in ('C8', 'C9') order by 1"
    )
    assert rows == [("C8", "*", "A1******89", "91****67"), ("C9", "L*", "*****", "*****")]


def test_nothing_unvalued_counts_in_aum_and_counts_reconcile(defects):
    # C3 owns A9 wholly. On 01-20 all nine of A9's holdings are unvalued (BONDM matured on
    # 01-10), so C3's AUM is only its 40% of TD1: 40,000 + 4 x 19 days
    assert defects.query(
        "select financial_aum, unvalued_holdings_count from marts.fct_customer_assets_daily"
        " where customer_id = 'C3' and as_of_date = '2025-01-20'"
    ) == [(40076, 9)]
    # raw positions in the carried book = valued rows + unvalued rows, every day
    book, valued, unvalued = defects.query(
        """
        select
            (select count(*) from intermediate.int_positions_carried_forward),
            (select count(*) from marts.fct_holding_valuations_daily where is_valued),
            (select count(*) from marts.fct_holding_valuations_daily where not is_valued)
        """
    )[0]
    assert book == valued + unvalued and unvalued > 0


# --- key conflicts: stop, and leave the last good marts untouched ----------------------------


def test_duplicate_key_stops_build_and_keeps_last_good_marts(good, tmp_path):
    root, raw, result = good
    before = marts_fingerprint(result.warehouse)
    broken = tmp_path / "raw"
    shutil.copytree(raw, broken)
    append_rows(
        broken / "holdings.csv",
        [
            {
                "snapshot_date": "2025-01-10",
                "account_id": "A1",
                "instrument_id": "DD1",
                "quantity": "1",
            },
        ],
    )
    rerun = dbt(["build"], root / "work", raw=broken, warehouse=result.warehouse)
    assert rerun.returncode != 0
    key_test = (
        "unique_key_stg_raw__holdings_snapshot_date__account_id__instrument_id__snapshot_date"
    )
    assert key_test in rerun.output
    assert "Got 1 result" in rerun.output
    assert "SKIP relation marts.fct_holding_valuations_daily" in rerun.output
    assert marts_fingerprint(result.warehouse) == before


def test_key_test_checks_every_snapshot_when_no_plan_exists_yet(good, tmp_path):
    # a run selecting only the staging model on a new warehouse has no restatement plan: the
    # holdings key test then checks every snapshot instead of failing on the missing plan
    root, raw, _ = good
    broken = tmp_path / "raw"
    shutil.copytree(raw, broken)
    append_rows(
        broken / "holdings.csv",
        [
            {
                "snapshot_date": "2025-01-10",
                "account_id": "A1",
                "instrument_id": "DD1",
                "quantity": "1",
            },
        ],
    )
    staged = dbt(["build", "-s", "stg_raw__holdings"], tmp_path / "work", raw=broken)
    assert staged.returncode != 0
    # a test failure (duplicates found), not a database error (missing plan)
    assert "FAIL 1 unique_key_stg_raw__holdings" in staged.output, staged.output[-3000:]
    assert "Catalog Error" not in staged.output


def test_ownership_shares_not_summing_to_one_stop_the_build(good, tmp_path):
    root, raw, result = good
    before = marts_fingerprint(result.warehouse)
    broken = tmp_path / "raw"
    shutil.copytree(raw, broken)
    rows = read_csv(broken / "account_holders.csv")
    rows[1]["ownership_share"] = "0.3"  # 0.6 + 0.3
    write_csv(broken / "account_holders.csv", rows)
    rerun = dbt(["build"], root / "work", raw=broken, warehouse=result.warehouse)
    assert rerun.returncode != 0
    assert "shares_sum_to_one_stg_raw__account_holders" in rerun.output
    assert marts_fingerprint(result.warehouse) == before


# --- suspicious snapshots, re-runs, late data -------------------------------------------------


def test_snapshot_losing_positions_warns_or_errors_by_var(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    rows = read_csv(raw / "holdings.csv")
    # the 01-16 snapshot arrives without the wealth system's file: A2 and A3 are missing
    rows = [
        r
        for r in rows
        if not (r["snapshot_date"] == "2025-01-16" and r["account_id"] in ("A2", "A3"))
    ]
    write_csv(raw / "holdings.csv", rows)
    warned = dbt(["build"], tmp_path / "w1", raw=raw)
    assert warned.returncode == 0
    assert "WARN 1 assert_no_sudden_snapshot_drop" in warned.output
    failed = dbt(["build"], tmp_path / "w2", raw=raw, vars={"snapshot_drop_severity": "error"})
    assert failed.returncode != 0
    assert "FAIL 1 assert_no_sudden_snapshot_drop" in failed.output

    # the same snapshot arriving on a later night: the incremental run compares it with the
    # snapshot before it, already published
    nightly = tmp_path / "nightly"
    shutil.copytree(raw, nightly)
    later = [r for r in rows if r["snapshot_date"] < "2025-01-16"]
    write_csv(nightly / "holdings.csv", later)
    first = dbt(["build"], tmp_path / "w3", raw=nightly)
    assert first.returncode == 0, first.output[-3000:]
    assert "PASS assert_no_sudden_snapshot_drop" in first.output
    write_csv(nightly / "holdings.csv", rows)
    arrived = dbt(["build"], tmp_path / "w3", raw=nightly)
    assert arrived.returncode == 0, arrived.output[-3000:]
    assert "WARN 1 assert_no_sudden_snapshot_drop" in arrived.output


def test_rebuild_gives_identical_marts(good):
    root, raw, result = good
    before = marts_fingerprint(result.warehouse)
    again = dbt(["build"], root / "work", raw=raw, warehouse=result.warehouse)
    assert again.returncode == 0, again.output[-3000:]
    assert marts_fingerprint(result.warehouse) == before


def test_late_price_restates_past_days(good, tmp_path):
    root, raw, result = good
    late = tmp_path / "raw"
    shutil.copytree(raw, late)
    # a price for 01-20 arrives after the first build
    append_rows(
        late / "prices.csv", [{"price_date": "2025-01-20", "instrument_id": "STK1", "price": "13"}]
    )
    work = tmp_path / "work"
    copy_warehouse(result.warehouse, work.with_suffix(".duckdb"))
    rerun = dbt(["build"], work, raw=late, warehouse=work.with_suffix(".duckdb"))
    assert rerun.returncode == 0, rerun.output[-3000:]
    assert rerun.query(
        "select financial_aum, market_effect from marts.fct_customer_assets_daily"
        " where customer_id = 'C1' and as_of_date = '2025-01-20'"
    ) == [(163000, 2000)]


def test_invalid_vars_stop_the_run_with_one_message(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    result = dbt(
        ["build"],
        tmp_path / "work",
        raw=raw,
        vars={
            "reporting_currency": "CNY' or 1=1 --",
            "insurance_basis": "market",
            "fx_max_age_days": -3,
            "snapshot_drop_threshold": "abc",
            "ownership_share_tolerance": 0.5,
            "default_accrual_day_count": "ACT/365",
            "valuation_start_date": "2025-02-30",
            "analysis_month": "June",
        },
    )
    assert result.returncode != 0
    for expected in (
        "reporting_currency = CNY' or 1=1 --: expected a three-letter ISO 4217 currency code",
        "insurance_basis = market: expected one of cash_value, premium_paid",
        "fx_max_age_days = -3: out of range, expected 0 to 3650",
        "snapshot_drop_threshold = abc: expected a number from 0 to 1",
        "ownership_share_tolerance = 0.5: out of range",
        "default_accrual_day_count = ACT/365: expected one of",
        "valuation_start_date = 2025-02-30: expected an ISO date",
        "analysis_month = June: expected an ISO date",
    ):
        assert expected in result.output, expected
    # nothing ran: no model was built
    assert (
        not result.warehouse.exists()
        or not result.query("select count(*) from duckdb_tables() where schema_name = 'marts'")[0][
            0
        ]
    )
    reversed_window = dbt(
        ["build"],
        tmp_path / "work2",
        raw=raw,
        vars={"valuation_start_date": "2025-02-01", "valuation_end_date": "2025-01-15"},
    )
    assert reversed_window.returncode != 0
    assert "valuation_start_date 2025-02-01 is after valuation_end_date 2025-01-15" in (
        reversed_window.output
    )


def test_non_finite_and_absurd_numbers_are_row_defects(good, tmp_path):
    """NaN / inf are unparseable; a quantity, cost or value beyond any position (1e15) is kept
    out of AUM with its own code. The build stays green and every other figure is unchanged."""
    _, clean_raw, clean = good
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    append_rows(
        raw / "instruments.csv",
        [
            {
                "instrument_id": "STKX",
                "instrument_name": "x",
                "asset_class": "stock",
                "currency": "CNY",
            }
        ],
    )
    append_rows(
        raw / "prices.csv",
        [
            {"price_date": "2025-01-01", "instrument_id": "STKX", "price": "1e30"},
            {"price_date": "2025-01-06", "instrument_id": "STK1", "price": "NaN"},
        ],
    )
    append_rows(
        raw / "accounts.csv",
        [
            {
                "account_id": "A_TYPO",
                "customer_id": "C1",
                "account_type": "wealth",
                "open_date": "2020-01-01",
            }
        ],
    )
    append_rows(
        raw / "holdings.csv",
        [
            {
                "snapshot_date": snap,
                "account_id": "A_TYPO",
                "instrument_id": i,
                "quantity": q,
                "cost_amount": c,
            }
            for snap in scenario_flows.SNAPSHOTS
            for i, q, c in [
                ("DD1", "3e20", ""),
                ("TD1", "NaN", ""),
                ("MMF1", "inf", ""),
                ("STKX", "100", "1e40"),
            ]
        ],
    )
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode == 0, result.output[-4000:]
    got = dict(
        result.query(
            "select instrument_id, exception_reason from marts.fct_holding_valuations_daily"
            " where account_id = 'A_TYPO' and valuation_date = '2025-01-20'"
        )
    )
    assert got == {
        "DD1": "quantity_out_of_range",
        "TD1": "unparseable_quantity",
        "MMF1": "unparseable_quantity",
        "STKX": "value_out_of_range",
    }
    listed = result.query(
        "select instrument_id, exception_reason, quantity, price"
        " from marts.fct_valuation_exceptions"
        " where account_id = 'A_TYPO' and valuation_date = '2025-01-20' order by 1, 2"
    )
    # the exceptions marts carry the figures that tripped the rule: the price here (STKX is
    # stale as well, listed under both), the raw quantity as delivered in the input exceptions
    assert ("STKX", "value_out_of_range", 100.0, 1e30) in listed and len(listed) == 5
    assert result.query(
        "select count(*) from marts.fct_input_exceptions"
        " where input_issue = 'quantity_out_of_range' and source_record like '%|3e20|%'"
    ) == [(4,)]
    issues = set(
        result.query("select source_table, input_issue, severity from marts.fct_input_exceptions")
    )
    assert {
        ("holdings", "quantity_out_of_range", "error"),
        ("holdings", "unparseable_quantity", "error"),
        ("holdings", "cost_amount_out_of_range", "warn"),
        ("prices", "unparseable_price", "error"),
    } <= issues
    # nobody's figures moved: C1 owns A_TYPO but none of it is valued (only its holdings counts
    # grow); STK1 keeps its last good price
    figures = (
        "select customer_id, as_of_date, financial_aum, total_assets, net_flow,"
        " market_effect, valuation_effect from marts.fct_customer_assets_daily"
        " order by 1, 2"
    )
    assert result.query(figures) == clean.query(figures)
    assert (
        result.query(
            "select sum(unvalued_holdings_count) from marts.fct_customer_assets_daily"
            " where customer_id = 'C1'"
        )[0][0]
        > 0
    )


def test_empty_holdings_file_stops_the_run_naming_it(tmp_path):
    raw = scenario_flows.write(tmp_path / "raw")
    header = (raw / "holdings.csv").read_text(encoding="utf-8").splitlines()[0]
    (raw / "holdings.csv").write_text(header + "\n", encoding="utf-8")
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode != 0
    assert f"raw file {raw}/holdings.csv has no rows" in result.output, result.output[-2000:]
    assert "OK created" not in result.output


def test_implausible_position_is_excluded_or_flagged_by_policy(good, tmp_path):
    """A deposit typed with extra digits (3e11 CNY, above the class's max_position_value) is
    kept out of AUM and listed, so it promotes nobody; real estate (policy flag) above its cap
    is valued and listed for review."""
    _, clean_raw, clean = good
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    append_rows(
        raw / "accounts.csv",
        [
            {
                "account_id": "A_FAT",
                "customer_id": "C1",
                "account_type": "savings",
                "open_date": "2020-01-01",
            }
        ],
    )
    append_rows(
        raw / "holdings.csv",
        [
            {"snapshot_date": snap, "account_id": "A_FAT", "instrument_id": i, "quantity": q}
            for snap in scenario_flows.SNAPSHOTS
            for i, q in [("DD1", "300000000000"), ("RE1", "2000")]
        ],
    )
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode == 0, result.output[-4000:]
    rows = dict(
        (i, (r, v, s))
        for i, r, v, s in result.query(
            "select instrument_id, exception_reason, is_valued, exception_severity"
            " from marts.fct_holding_valuations_daily"
            " where account_id = 'A_FAT' and valuation_date = '2025-01-20'"
        )
    )
    assert rows == {
        "DD1": ("implausible_position_value", False, "error"),
        "RE1": ("implausible_position_value_flagged", True, "warn"),
    }
    listed = result.query(
        "select instrument_id, exception_reason, severity, quantity, market_value, fx_rate"
        " from marts.fct_valuation_exceptions"
        " where account_id = 'A_FAT' and valuation_date = '2025-01-20' order by 1"
    )
    assert [r[:4] for r in listed] == [
        ("DD1", "implausible_position_value", "error", 3e11),
        ("RE1", "implausible_position_value_flagged", "warn", 2000.0),
    ]
    assert float(listed[0][4]) * listed[0][5] == 3e11  # the figure that tripped the rule
    figures = (
        "select customer_id, as_of_date, financial_aum, net_flow from"
        " marts.fct_customer_assets_daily order by 1, 2"
    )
    assert result.query(figures) == clean.query(figures)
    tiers = "select customer_id, month_start, assigned_tier from marts.fct_customer_tiers_monthly"
    assert sorted(result.query(tiers)) == sorted(clean.query(tiers))


def _with_jump_and_price_typo(clean_raw: Path, raw: Path, snapshots=scenario_flows.SNAPSHOTS):
    """C3 gains account A_PLB: a deposit of 100 that becomes 300,000 in the 01-16 snapshot
    (3,000 times: above max_quantity_jump 1,000, policy flag), and stock STK9 whose 01-20 price
    is typed as 2000 instead of about 20 (a move above max_daily_price_move, policy exclude),
    corrected the next day."""
    shutil.copytree(clean_raw, raw)
    append_rows(
        raw / "accounts.csv",
        [
            {
                "account_id": "A_PLB",
                "customer_id": "C3",
                "account_type": "savings",
                "open_date": "2020-01-01",
            }
        ],
    )
    append_rows(
        raw / "instruments.csv",
        [
            {
                "instrument_id": "STK9",
                "instrument_name": "股票",
                "asset_class": "stock",
                "currency": "CNY",
            }
        ],
    )
    append_rows(
        raw / "holdings.csv",
        [
            {"snapshot_date": snap, "account_id": "A_PLB", "instrument_id": i, "quantity": q}
            for snap in snapshots
            for i, q in [("DD1", "100" if snap < "2025-01-16" else "300000"), ("STK9", "1000")]
        ],
    )
    append_rows(
        raw / "prices.csv",
        [
            {"price_date": d, "instrument_id": "STK9", "price": p}
            for d, p in [
                ("2025-01-01", "20"),
                ("2025-01-20", "2000"),
                ("2025-01-21", "20.5"),
                ("2025-02-03", "25"),
            ]
        ],
    )
    return raw


def test_quantity_jump_is_flagged_and_price_typo_excluded(good, tmp_path):
    """The jump and price-move rules of seed plausibility_rules: each tripped row is listed with
    the figure it was measured from; the wrong price is kept out of AUM for its day only (the
    correction back to the old level does not trip the rule); every other customer's figures
    are unchanged."""
    _, clean_raw, clean = good
    raw = _with_jump_and_price_typo(clean_raw, tmp_path / "raw")
    result = dbt(["build"], tmp_path / "work", raw=raw)
    assert result.returncode == 0, result.output[-4000:]
    tripped = result.query(
        "select instrument_id, min(valuation_date)::varchar, max(valuation_date)::varchar,"
        " exception_reason, severity, bool_or(is_valued), min(previous_quantity),"
        " min(previous_price), min(quantity), min(price)"
        " from marts.fct_valuation_exceptions where account_id = 'A_PLB'"
        " and exception_reason like 'implausible%' group by all order by 1"
    )
    assert tripped == [
        (
            "DD1",
            "2025-01-16",
            "2025-02-27",
            "implausible_quantity_jump_flagged",
            "warn",
            True,
            100.0,
            None,
            300000.0,
            None,
        ),
        (
            "STK9",
            "2025-01-20",
            "2025-01-20",
            "implausible_price_move",
            "error",
            False,
            None,
            20.0,
            1000.0,
            2000.0,
        ),
    ]
    # the flagged deposit counts; the stock on 01-20 does not, and is valued again from 01-21
    values = dict(
        result.query(
            "select instrument_id || ' ' || valuation_date::varchar, market_value_reporting"
            " from marts.fct_holding_valuations_daily where account_id = 'A_PLB'"
            " and valuation_date in ('2025-01-16', '2025-01-20', '2025-01-21')"
        )
    )
    assert values == {
        "DD1 2025-01-16": 300000,
        "DD1 2025-01-20": 300000,
        "DD1 2025-01-21": 300000,
        "STK9 2025-01-16": 20000,
        "STK9 2025-01-20": None,
        "STK9 2025-01-21": 20500,
    }
    figures = (
        "select customer_id, as_of_date, financial_aum, net_flow, market_effect,"
        " valuation_effect from marts.fct_customer_assets_daily"
        " where customer_id <> 'C3' order by 1, 2"
    )
    assert result.query(figures) == clean.query(figures)


def test_quantity_jump_in_a_night_is_measured_from_the_snapshot_before(good, tmp_path):
    """The jump rule on a nightly run: the snapshot that brings the jump is compared with the
    one before it, which the night does not restate; the result equals a full build."""
    _, clean_raw, _ = good
    raw = _with_jump_and_price_typo(clean_raw, tmp_path / "raw")
    held_back = tmp_path / "held_back.csv"
    rows = read_csv(raw / "holdings.csv")
    write_csv(held_back, [r for r in rows if r["snapshot_date"] == "2025-02-28"])
    write_csv(raw / "holdings.csv", [r for r in rows if r["snapshot_date"] != "2025-02-28"])
    # in the night's snapshot the deposit jumps again, from 300,000 to 400,000,000
    night_rows = [
        dict(r, quantity="400000000")
        if (r["account_id"], r["instrument_id"]) == ("A_PLB", "DD1")
        else r
        for r in read_csv(held_back)
    ]
    first = dbt(["build"], tmp_path / "work", raw=raw)
    assert first.returncode == 0, first.output[-4000:]
    append_rows(raw / "holdings.csv", night_rows)
    night = dbt(["build"], tmp_path / "work", raw=raw)
    assert night.returncode == 0, night.output[-4000:]
    full = dbt(["build", "--full-refresh"], tmp_path / "full", raw=raw)
    assert full.returncode == 0, full.output[-4000:]
    jump = (
        "select valuation_date::varchar, exception_reason, previous_quantity, quantity"
        " from marts.fct_valuation_exceptions where account_id = 'A_PLB'"
        " and instrument_id = 'DD1' and valuation_date >= '2025-02-27' order by 1"
    )
    assert night.query(jump) == [
        ("2025-02-27", "implausible_quantity_jump_flagged", 100.0, 300000.0),
        ("2025-02-28", "implausible_quantity_jump_flagged", 300000.0, 400000000.0),
    ]
    for mart in [
        "fct_holding_valuations_daily",
        "fct_valuation_exceptions",
        "fct_customer_assets_daily",
    ]:
        q = f"select * from marts.{mart} order by all"
        assert night.query(q) == full.query(q), mart
