"""End to end: the semantic layer's metrics equal sums over the marts.

A small generated book (300 customers over 181 days: upgrades, downgrades, flows, joint
accounts, unvalued days) is built in a copy of the project (`mf` reads the project's own
target/semantic_manifest.json), published, and queried with `mf query` through the `serving`
target, as BI would. Each metric is checked against a sum written directly over the marts; the
balance metrics must take the period's last day (or month), never a sum over days."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_runner import copy_project, dbt

from aum_nightly.publish import publish

pytestmark = pytest.mark.e2e
MF = str(Path(sys.executable).with_name("mf"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("semantic")
    project = copy_project(root / "project")
    raw = root / "raw"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("aum-generate-sample")),
            "--out",
            str(raw),
            "--customers",
            "300",
            "--days",
            "181",
            "--quiet",
        ],
        check=True,
    )
    built = dbt(["build"], project, raw=raw, project=project)
    assert built.returncode == 0, built.output[-3000:]
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        marts = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
    serving = root / "serving.duckdb"
    publish(
        built.warehouse,
        serving,
        marts,
        run_id="semantic-test",
        project_version="test",
        code_version=None,
    )
    return project, serving


def mf(served, metrics: str, group_by: str, where: str | None = None) -> list[dict]:
    project, serving = served
    out = project / f"mf_{abs(hash((metrics, group_by, where)))}.csv"
    cmd = [MF, "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)]
    if where:
        cmd += ["--where", where]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "AUM_DBT_TARGET": "serving",
        "AUM_SERVING_PATH": str(serving),
    }
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out, newline="") as fh:
        return list(csv.DictReader(fh))


def marts(served, sql: str) -> list[tuple]:
    with duckdb.connect(str(served[1]), read_only=True) as con:
        return con.execute(sql).fetchall()


def by_period(rows: list[dict], period: str, metric: str) -> dict[str, Decimal]:
    return {r[period][:10]: Decimal(r[metric] or "0") for r in rows}


def close(a: dict, b: dict, tolerance: dict | None = None) -> bool:
    """Equal keys, and values equal to 1e-4 (or to the key's own tolerance)."""
    return a.keys() == b.keys() and all(
        abs(a[k] - b[k]) <= (tolerance or {}).get(k, Decimal("0.0001")) for k in a
    )


def test_financial_aum_by_month_is_the_sum_of_month_end_aum(served):
    rows = mf(served, "financial_aum,customers_with_assets", "metric_time__month")
    expected = {
        str(m): Decimal(v)
        for m, v in marts(
            served,
            """
        select month_start, sum(month_end_aum) from marts.fct_customer_assets_monthly
        group by 1""",
        )
    }
    assert close(by_period(rows, "metric_time__month", "financial_aum"), expected)
    # a balance is not a sum over days: the same figure summed over the month's days differs
    summed = dict(
        marts(
            served,
            """select cast(cast(date_trunc('month', as_of_date) as date)
        as varchar),
        sum(financial_aum) from marts.fct_customer_assets_daily group by 1""",
        )
    )
    assert all(summed[m] != v for m, v in expected.items())
    customers = {
        str(m): Decimal(n)
        for m, n in marts(
            served,
            """
        select month_start, count(*) filter (where month_end_aum > 0)
        from marts.fct_customer_assets_monthly group by 1""",
        )
    }
    assert by_period(rows, "metric_time__month", "customers_with_assets") == customers


def test_financial_aum_by_quarter_is_its_last_day(served):
    rows = mf(served, "financial_aum", "metric_time__quarter")
    expected = {
        str(q): Decimal(v)
        for q, v in marts(
            served,
            """
        select date_trunc('quarter', as_of_date)::date, sum(financial_aum)
        from marts.fct_customer_assets_daily
        where as_of_date = (select max(as_of_date) from marts.fct_customer_assets_daily d2
                            where date_trunc('quarter', d2.as_of_date)
                                = date_trunc('quarter', fct_customer_assets_daily.as_of_date))
        group by 1""",
        )
    }
    assert close(by_period(rows, "metric_time__quarter", "financial_aum"), expected)


def test_averages_flows_and_tier_counts(served):
    rows = mf(served, "avg_daily_aum,net_flow,market_effect,valuation_effect", "metric_time__month")
    monthly = marts(
        served,
        """select cast(month_start as varchar), sum(avg_daily_aum_month),
        sum(net_flow), sum(market_effect), sum(valuation_effect), count(*)
        from marts.fct_customer_assets_monthly group by 1""",
    )
    # the metrics add the published daily rows (each rounded to 4 decimals); the monthly mart
    # sums the unrounded days and rounds once: they differ by at most half a unit of the 4th
    # decimal per customer-day and per customer-month
    days = dict(
        marts(
            served,
            """select cast(date_trunc('month', as_of_date) as date)::varchar, count(*)
            from marts.fct_customer_assets_daily group by 1""",
        )
    )
    tolerance = {row[0]: Decimal("0.00005") * (days.get(row[0], 0) + row[5]) for row in monthly}
    for i, metric in enumerate(
        ["avg_daily_aum", "net_flow", "market_effect", "valuation_effect"], start=1
    ):
        expected = {m: Decimal(row[i]) for row in monthly for m in [row[0]]}
        found = by_period(rows, "metric_time__month", metric)
        assert close(found, expected, tolerance), metric
    tiers = mf(served, "tier_upgrades,tier_downgrades", "metric_time__month")
    counts = marts(
        served,
        """select cast(month_start as varchar),
        count(*) filter (where tier_change = 'up'), count(*) filter (where tier_change = 'down')
        from marts.fct_customer_tiers_monthly group by 1""",
    )
    assert by_period(tiers, "metric_time__month", "tier_upgrades") == {
        m: Decimal(u) for m, u, _ in counts
    }
    assert by_period(tiers, "metric_time__month", "tier_downgrades") == {
        m: Decimal(d) for m, _, d in counts
    }
    # the book has upgrades and downgrades, so these checks can fail
    assert any(u for _, u, _ in counts) and any(d for _, _, d in counts)


def test_dimensions_branch_tier_in_force_and_asset_class(served):
    by_branch = mf(served, "financial_aum", "metric_time__month,customer__branch_id")
    expected = {
        (str(m), b): Decimal(v)
        for m, b, v in marts(
            served,
            """
        select f.month_start, c.branch_id, sum(f.month_end_aum)
        from marts.fct_customer_assets_monthly f join marts.dim_customers c using (customer_id)
        group by 1, 2""",
        )
    }
    got = {
        (r["metric_time__month"][:10], r["customer__branch_id"]): Decimal(r["financial_aum"])
        for r in by_branch
    }
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) <= Decimal("0.0001") for k in got)

    # the tier in force on the month's last day, from the tier history (valid_from .. valid_to)
    by_tier = mf(served, "financial_aum", "metric_time__month,customer__assigned_tier")
    expected = {
        (str(m), t or ""): Decimal(v)
        for m, t, v in marts(
            served,
            """
        select f.month_start, h.tier_code, sum(f.month_end_aum)
        from marts.fct_customer_assets_monthly f
        left join marts.dim_customer_tier_history h
          on h.customer_id = f.customer_id and h.valid_from <= f.last_observed_date
         and (h.valid_to is null or f.last_observed_date < h.valid_to)
        group by 1, 2""",
        )
    }
    got = {
        (r["metric_time__month"][:10], r["customer__assigned_tier"]): Decimal(r["financial_aum"])
        for r in by_tier
    }
    got = {k: v for k, v in got.items() if v != 0}
    expected = {k: v for k, v in expected.items() if v != 0}
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) <= Decimal("0.0001") for k in got)

    # by asset class, from the holdings: summed over classes it is financial_aum, every day, to
    # the rounding of the published figures (half a unit of the 4th decimal for each holding's
    # market_value_reporting and for each customer's financial_aum)
    by_class = mf(served, "financial_holdings_value", "metric_time__day,holding__asset_class")
    total: dict[str, Decimal] = {}
    for r in by_class:
        day = r["metric_time__day"][:10]
        total[day] = total.get(day, Decimal(0)) + Decimal(r["financial_holdings_value"])
    daily = {
        str(d): (Decimal(v), n)
        for d, v, n in marts(
            served,
            """
        select as_of_date, sum(financial_aum), count(*) from marts.fct_customer_assets_daily
        where as_of_date <= (select max(valuation_date) from marts.fct_holding_valuations_daily)
        group by 1""",
        )
    }
    holdings = {
        str(d): n
        for d, n in marts(
            served,
            """
        select valuation_date, count(*) from marts.fct_holding_valuations_daily
        where is_valued and include_in_financial_aum group by 1""",
        )
    }
    assert {d: v for d, v in total.items() if d in daily}.keys() == daily.keys()
    for day, (aum, customers) in daily.items():
        tolerance = Decimal("0.00005") * (holdings.get(day, 0) + customers)
        assert abs(total[day] - aum) <= tolerance, (day, total[day], aum)
