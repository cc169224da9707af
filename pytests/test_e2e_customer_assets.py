"""End to end: build the whole project on the hand-made book of scenario_flows.py and compare
the marts with figures worked out by hand (docs/valuation.md, docs/marts.md, docs/tiers.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pytest
import scenario_flows
from dbt_runner import copy_project, copy_warehouse, dbt

from aum_nightly import paths

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("flows")
    raw = scenario_flows.write(root / "raw")
    result = dbt(["build"], root / "work", raw=raw)
    assert result.returncode == 0, result.output[-4000:]
    return result


def daily(built, customer, day):
    rows = built.query(
        "select financial_aum, total_assets, market_effect, net_flow, valuation_effect,"
        " holdings_count, stale_holdings_count, unvalued_holdings_count"
        " from marts.fct_customer_assets_daily where customer_id = ? and as_of_date = ?",
        [customer, day],
    )
    assert len(rows) == 1, (customer, day, rows)
    return tuple(float(x) if isinstance(x, Decimal) else x for x in rows[0])


def test_opening_day_is_not_a_flow(built):
    # window start: the opening book is stock, not flow
    assert daily(built, "C1", "2025-01-01") == (110000, 3110000, 0, 0, 0, 3, 0, 0)
    assert daily(built, "C2", "2025-01-01") == (130000, 130000, 0, 0, 0, 2, 0, 0)


def test_market_moves_are_market_effect(built):
    # STK1 10 -> 11 on 1,000 shares; USD 7.0 -> 7.2 on 10,000; TD1 accrues 10/day (C2 owns 60%)
    assert daily(built, "C1", "2025-01-02") == (111000, 3111000, 1000, 0, 0, 3, 0, 0)
    assert daily(built, "C2", "2025-01-02") == (132006, 132006, 2006, 0, 0, 2, 0, 0)
    assert daily(built, "C3", "2025-01-02") == (40004, 40004, 4, 0, 0, 1, 0, 0)


def test_quantity_change_is_net_flow_and_stale_price_still_valued(built):
    # DD1 100,000 -> 150,000 in the 01-10 snapshot; STK1's 01-02 price is 8 days old (> 5)
    assert daily(built, "C1", "2025-01-10") == (161000, 3161000, 0, 50000, 0, 3, 1, 0)


def test_fx_too_old_is_valuation_effect_not_outflow(built):
    # 01-17: USD rate of 01-02 is 15 days old (still fine); 01-18: 16 days > fx_max_age_days
    assert daily(built, "C2", "2025-01-17") == (132096, 132096, 6, 0, 0, 2, 0, 0)
    assert daily(built, "C2", "2025-01-18") == (60102, 60102, 6, 0, -72000, 2, 0, 1)
    # 02-01: a fresh rate 7.1 brings the fund back
    assert daily(built, "C2", "2025-02-01") == (131186, 131186, 6, 0, 71000, 2, 0, 0)
    row = built.query(
        "select is_valued, exception_reason, market_value, market_value_reporting, fx_rate_date"
        " from marts.fct_holding_valuations_daily"
        " where account_id = 'A2' and valuation_date = '2025-01-18'"
    )[0]
    assert row[0] is False and row[1] == "fx_rate_stale"
    assert float(row[2]) == 10000 and row[3] is None and str(row[4]) == "2025-01-02"


def test_exit_shows_as_outflow_on_the_day_after(built):
    assert daily(built, "C4", "2025-01-15") == (60000, 60000, 0, 0, 0, 1, 0, 0)
    assert daily(built, "C4", "2025-01-16") == (0, 0, 0, -60000, 0, 0, 0, 0)
    assert built.query(
        "select count(*) from marts.fct_customer_assets_daily"
        " where customer_id = 'C4' and as_of_date > '2025-01-16'"
    ) == [(0,)]


def test_daily_change_splits_exactly(built):
    bad = built.query(
        """
        with d as (
            select *, lag(financial_aum, 1, 0) over (partition by customer_id order by as_of_date)
                      as prev_aum,
                   lag(as_of_date) over (partition by customer_id order by as_of_date) as prev_day
            from marts.fct_customer_assets_daily
        )
        select customer_id, as_of_date from d
        where as_of_date > date '2025-01-01'
          and abs(financial_aum - case when prev_day = as_of_date - 1 then prev_aum else 0 end
                  - (market_effect + net_flow + valuation_effect)) > 0.0005
        """
    )
    assert bad == []


def test_monthly_averages_count_empty_days_as_zero(built):
    rows = {
        (r[0], str(r[1])): tuple(float(x) if isinstance(x, Decimal) else x for x in r[2:])
        for r in built.query(
            "select customer_id, month_start, month_end_aum, avg_daily_aum_month,"
            " avg_daily_aum_qtd, avg_daily_aum_ytd, max_daily_aum, min_daily_aum, net_flow,"
            " market_effect, valuation_effect, days_observed, is_complete_month"
            " from marts.fct_customer_assets_monthly"
        )
    }
    # C1 Jan: 110,000 x 1 + 111,000 x 8 + 161,000 x 22 = 4,540,000 over 31 days
    assert rows[("C1", "2025-01-01")] == (
        161000,
        146451.6129,
        146451.6129,
        146451.6129,
        161000,
        110000,
        50000,
        1000,
        0,
        31,
        True,
    )
    # C1 Feb: 161,000 x 2 + 162,000 x 26 = 4,534,000 over 28; QTD 9,074,000 / 59
    assert rows[("C1", "2025-02-01")] == (
        162000,
        161928.5714,
        153796.6102,
        153796.6102,
        162000,
        161000,
        0,
        1000,
        0,
        28,
        True,
    )
    # C4: 60,000 for 15 days of 31 (900,000 / 31), exit on 01-16; then an empty February that
    # still has its row, with QTD 900,000 / 59
    assert rows[("C4", "2025-01-01")] == (
        0,
        29032.2581,
        29032.2581,
        29032.2581,
        60000,
        0,
        -60000,
        0,
        0,
        31,
        True,
    )
    assert rows[("C4", "2025-02-01")] == (0, 0, 15254.2373, 15254.2373, 0, 0, 0, 0, 0, 28, True)
    # C2 Jan: MMF 70,000 (01-01) + 72,000 x 16 (01-02..01-17), unvalued 01-18..01-31;
    # TD share 0.6 x (100,000 + 10 x k) for k = 0..30 -> 1,860,000 + 2,790 = 1,862,790
    c2 = rows[("C2", "2025-01-01")]
    assert c2[1] == round((70000 + 72000 * 16 + 1862790) / 31, 4)
    assert c2[6:9] == (0, 2000 + 30 * 6, -72000)


def test_tiers_follow_month_average(built):
    rows = built.query(
        "select customer_id, month_start, qualified_tier, assigned_tier, tier_change"
        " from marts.fct_customer_tiers_monthly order by 1, 2"
    )
    got = {(r[0], str(r[1])): r[2:] for r in rows}
    assert got[("C1", "2025-01-01")] == ("gold", "gold", "new")
    assert got[("C1", "2025-02-01")] == ("gold", "gold", "same")
    assert got[("C4", "2025-01-01")] == ("mass", "mass", "new")
    assert got[("C3", "2025-02-01")] == ("mass", "mass", "same")


def test_personal_data_is_masked(built):
    rows = built.query(
        "select customer_name_masked, id_number_masked, mobile_masked from marts.dim_customers"
        " where customer_id = 'C4'"
    )
    assert rows == [("欧***", "110101********004X", "138****0004")]


def test_household_rollup(built):
    rows = built.query(
        "select members_with_assets, month_end_aum from marts.fct_household_assets_monthly"
        " where household_id = 'H1' and month_start = '2025-01-01'"
    )
    assert rows == [(2, Decimal("221180.0000"))]  # C1 161,000 + C2 60,180


def test_changing_the_tier_seed_changes_assignments(built, tmp_path):
    # default ladder: 7,000,000 is diamond (>= 5M, < 10M)
    assert built.query(
        "select distinct assigned_tier from marts.fct_customer_tiers_monthly"
        " where customer_id = 'C5'"
    ) == [("diamond",)]
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / "aum_tiers.csv"
    ladder = seed.read_text(encoding="utf-8")
    old_row = "private,Private banking,私人银行客户,10000000,"
    assert old_row in ladder
    seed.write_text(
        ladder.replace(old_row, old_row.replace("10000000", "6000000")), encoding="utf-8"
    )
    raw = scenario_flows.write(tmp_path / "raw")
    rebuilt = dbt(["build"], tmp_path / "work", raw=raw, project=project)
    assert rebuilt.returncode == 0, rebuilt.output[-3000:]
    assert rebuilt.query(
        "select month_start, assigned_tier, tier_change from marts.fct_customer_tiers_monthly"
        " where customer_id = 'C5' order by 1"
    ) == [(date(2025, 1, 1), "private", "new"), (date(2025, 2, 1), "private", "same")]
    assert rebuilt.query("select min_aum from marts.dim_aum_tiers where tier_code = 'private'") == [
        (Decimal("6000000.0000"),)
    ]
    assert rebuilt.query(
        "select current_tier from marts.dim_customers where customer_id = 'C5'"
    ) == [("private",)]


@pytest.mark.parametrize(
    "test_name, tamper",
    [
        # a position of the book lost from the valuation fact
        (
            "assert_every_carried_position_valued_once",
            "delete from marts.fct_holding_valuations_daily where rowid = (select min(rowid)"
            " from marts.fct_holding_valuations_daily)",
        ),
        # a position valued twice
        (
            "assert_every_carried_position_valued_once",
            "insert into marts.fct_holding_valuations_daily"
            " select * from marts.fct_holding_valuations_daily limit 1",
        ),
        # a position swapped for one that is not in the book (same row count)
        (
            "assert_every_carried_position_valued_once",
            "update marts.fct_holding_valuations_daily set instrument_id = 'NOT-IN-BOOK'"
            " where rowid = (select min(rowid) from marts.fct_holding_valuations_daily)",
        ),
        # a customer-day twice in the daily fact (the key test finds repeats by sorting key hashes)
        (
            "unique_key_fct_customer_assets_daily_customer_id__as_of_date__as_of_date",
            "insert into marts.fct_customer_assets_daily"
            " select * from marts.fct_customer_assets_daily where customer_id = 'C1' limit 1",
        ),
        # a month's 月日均 that is not the mean of its days (checked on the months restated; the
        # built warehouse's plan is its first build, so all of them)
        (
            "assert_monthly_average_equals_mean_of_daily",
            "update marts.fct_customer_assets_monthly"
            " set avg_daily_aum_month = avg_daily_aum_month + 1"
            " where customer_id = 'C1' and month_start = '2025-02-01'",
        ),
        # a raw mobile number in a mart
        (
            "assert_no_unmasked_personal_data_in_marts",
            "update marts.dim_customers set mobile_masked = '13800000004' where customer_id = 'C4'",
        ),
        # a raw customer name in a mart
        (
            "assert_no_unmasked_personal_data_in_marts",
            "update marts.dim_customers set customer_name_masked = '欧阳娜娜'"
            " where customer_id = 'C4'",
        ),
    ],
)
def test_reconciliation_and_privacy_checks_fail_on_tampered_marts(
    built, tmp_path, test_name, tamper
):
    warehouse = tmp_path / "tampered.duckdb"
    copy_warehouse(built.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(tamper)
    raw = scenario_flows.write(tmp_path / "raw")
    result = dbt(["test", "-s", test_name], tmp_path / "work", raw=raw, warehouse=warehouse)
    assert result.returncode != 0, result.output[-3000:]
    assert "FAIL" in result.output, result.output[-3000:]


def test_privacy_failures_are_stored_masked(built, tmp_path):
    """With --store-failures the privacy test's rows say where and what, never the raw value."""
    warehouse = tmp_path / "tampered.duckdb"
    copy_warehouse(built.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.dim_customers set mobile_masked = '13800000004',"
            " customer_name_masked = '欧阳娜娜' where customer_id = 'C4'"
        )
    raw = scenario_flows.write(tmp_path / "raw")
    result = dbt(
        ["test", "-s", "assert_no_unmasked_personal_data_in_marts", "--store-failures"],
        tmp_path / "work",
        raw=raw,
        warehouse=warehouse,
    )
    assert result.returncode != 0 and "FAIL" in result.output, result.output[-3000:]
    assert "13800000004" not in result.output and "欧阳娜娜" not in result.output
    # stored failures go to the work file, never to the marts file that is published
    with duckdb.connect(str(paths.work_path(warehouse)), read_only=True) as con:
        stored = sorted(
            con.execute(
                "select table_name, column_name, finding, masked_value"
                " from dbt_test__audit.assert_no_unmasked_personal_data_in_marts"
            ).fetchall()
        )
    assert stored == [
        ("dim_customers", "customer_name_masked", "raw_customer_name", "欧***"),
        ("dim_customers", "mobile_masked", "raw_mobile", "138****0004"),
    ]
    with duckdb.connect(str(paths.work_path(warehouse)), read_only=True) as con:
        every_text = con.execute(
            "select string_agg(cast(t as varchar), '|') from"
            " dbt_test__audit.assert_no_unmasked_personal_data_in_marts as t"
        ).fetchone()[0]
    assert "13800000004" not in every_text and "欧阳娜娜" not in every_text
