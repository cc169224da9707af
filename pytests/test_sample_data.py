"""The sample-data generator writes the raw format of docs/raw-inputs.md exactly,
deterministically, with the features the models are meant to be exercised with (every class,
method, day count, tier...)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from aum_engine import sample_data as sd

TABLES = sd.TABLES
# docs/raw-inputs.md#tables-at-a-glance: required and optional columns of every table
REQUIRED = {
    "customers": [
        "customer_id",
        "customer_name",
        "id_number",
        "mobile",
        "birth_date",
        "branch_id",
        "onboard_date",
    ],
    "branches": ["branch_id", "branch_name"],
    "accounts": ["account_id", "customer_id", "account_type", "open_date"],
    "account_holders": ["account_id", "customer_id", "ownership_share"],
    "instruments": ["instrument_id", "instrument_name", "asset_class", "currency"],
    "holdings": ["snapshot_date", "account_id", "instrument_id", "quantity"],
    "prices": ["price_date", "instrument_id", "price"],
    "fx_rates": ["rate_date", "currency_from", "currency_to", "rate"],
    "insurance_cash_values": ["instrument_id", "policy_year", "cash_value"],
}
OPTIONAL = {
    "customers": ["gender", "household_id", "rm_id", "risk_profile", "status", "closed_date"],
    "branches": ["city", "region"],
    "accounts": ["close_date"],
    "instruments": [
        "valuation_method",
        "risk_level",
        "rate",
        "coupon_frequency",
        "day_count",
        "start_date",
        "maturity_date",
        "annual_premium",
        "premium_years",
    ],
    "holdings": ["cost_amount"],
}
GRAIN = {
    "customers": ["customer_id"],
    "branches": ["branch_id"],
    "accounts": ["account_id"],
    "account_holders": ["account_id", "customer_id"],
    "instruments": ["instrument_id"],
    "holdings": ["snapshot_date", "account_id", "instrument_id"],
    "prices": ["price_date", "instrument_id"],
    "fx_rates": ["rate_date", "currency_from", "currency_to"],
    "insurance_cash_values": ["instrument_id", "policy_year"],
}
DATE_COLS = {
    "birth_date",
    "onboard_date",
    "closed_date",
    "open_date",
    "close_date",
    "start_date",
    "maturity_date",
    "snapshot_date",
    "price_date",
    "rate_date",
}
DOUBLE_COLS = {
    "ownership_share",
    "rate",
    "annual_premium",
    "quantity",
    "cost_amount",
    "price",
    "cash_value",
}
INT_COLS = {"coupon_frequency", "premium_years", "policy_year"}


def _read(folder: Path, table: str) -> pa.Table:
    return pq.read_table(folder / f"{table}.parquet")


def _con(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for t in TABLES:
        con.execute(f"create view {t} as select * from read_parquet('{folder}/{t}.parquet')")
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def default_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_default")
    sd.generate(out)  # the CLI defaults: 300 customers, 2025-01-01, 273 days, seed 42
    return out


@pytest.fixture(scope="module")
def con(default_data) -> duckdb.DuckDBPyConnection:
    return _con(default_data)


def test_defaults_and_manifest(default_data):
    manifest = json.loads((default_data / "_manifest.json").read_text())
    assert manifest["parameters"] == {
        "customers": 300,
        "start": "2025-01-01",
        "days": 273,
        "seed": 42,
        "format": "parquet",
        "generator_version": sd.GENERATOR_VERSION,
    }
    assert manifest["window"]["end"] == "2025-09-30"
    for t in TABLES:
        assert manifest["row_counts"][t] == _read(default_data, t).num_rows
    assert manifest["row_counts"]["customers"] == 300
    assert manifest["seconds"] >= 0


def test_schema_matches_spec(default_data):
    for t in TABLES:
        schema = _read(default_data, t).schema
        assert set(schema.names) == set(REQUIRED[t]) | set(OPTIONAL.get(t, [])), t
        for name in schema.names:
            typ = schema.field(name).type
            if name in DATE_COLS:
                assert typ == pa.date32(), (t, name)
            elif name in DOUBLE_COLS:
                assert typ == pa.float64(), (t, name)
            elif name in INT_COLS:
                assert typ == pa.int32(), (t, name)
            else:
                assert typ == pa.string(), (t, name)
        assert _read(default_data, t).num_rows > 0, t


def test_grain_is_unique(con):
    for t, cols in GRAIN.items():
        keys = ", ".join(cols)
        dup = _rows(con, f"select {keys}, count(*) from {t} group by all having count(*) > 1")
        assert dup == [], t
        nulls = " or ".join(f"{c} is null" for c in REQUIRED[t])
        assert _rows(con, f"select count(*) from {t} where {nulls}") == [(0,)], t


def test_referential_integrity(con):
    checks = {
        "customers.branch_id": "select count(*) from customers c anti join branches b "
        "using (branch_id)",
        "accounts.customer_id": "select count(*) from accounts a anti join customers c "
        "using (customer_id)",
        "holdings.account_id": "select count(*) from holdings h anti join accounts a "
        "using (account_id)",
        "holdings.instrument_id": "select count(*) from holdings h anti join instruments i "
        "using (instrument_id)",
        "prices.instrument_id": "select count(*) from prices p anti join instruments i "
        "using (instrument_id)",
        "holders.customer_id": "select count(*) from account_holders h anti join customers c "
        "using (customer_id)",
        "accounts opened before onboarding": "select count(*) from accounts a join customers c "
        "using (customer_id) where a.open_date < "
        "c.onboard_date",
        "positions outside the customer's life": (
            "select count(*) from holdings h join accounts a using (account_id) "
            "join customers c using (customer_id) where h.quantity <> 0 and "
            "(h.snapshot_date < c.onboard_date or h.snapshot_date >= c.closed_date)"
        ),
    }
    for what, sql in checks.items():
        assert _rows(con, sql) == [(0,)], what


def test_ownership_shares_sum_to_one(con):
    rows = _rows(
        con,
        """
        select h.account_id, sum(ownership_share), count(*),
               bool_or(h.customer_id = a.customer_id)
        from account_holders h join accounts a using (account_id) group by 1""",
    )
    assert rows, "no joint accounts"
    for acct, total, n, has_owner in rows:
        assert abs(total - 1.0) < 1e-9 and n == 2 and has_owner, acct
    pair = _rows(
        con,
        "select list(customer_id order by customer_id), "
        "list(ownership_share order by customer_id) from account_holders "
        "where account_id in (select account_id from account_holders "
        "where customer_id = 'C0000013')",
    )
    assert pair == [(["C0000013", "C0000014"], [0.6, 0.4])]


def test_snapshots_weekdays_without_holidays(con):
    hol = sd.cn_holidays(date(2025, 1, 1), date(2025, 12, 31))
    for d in [
        "2025-01-01",
        "2025-01-28",
        "2025-02-04",
        "2025-04-04",
        "2025-05-01",
        "2025-05-05",
        "2025-10-01",
        "2025-10-08",
    ]:
        assert date.fromisoformat(d) in hol
    assert date(2025, 2, 5) not in hol and date(2025, 10, 9) not in hol
    start = date(2025, 1, 1)  # a holiday, but the window always opens with a book
    for table, col in (("holdings", "snapshot_date"), ("fx_rates", "rate_date")):
        days = [r[0] for r in _rows(con, f"select distinct {col} from {table}")]
        assert all(d.weekday() < 5 for d in days), table
        assert set(days) & hol == {start}, table
    snaps = [r[0] for r in _rows(con, "select distinct snapshot_date from holdings order by 1")]
    expected = [start] + [
        d for d in (start + timedelta(k) for k in range(273)) if d.weekday() < 5 and d not in hol
    ]
    assert snaps == expected  # the first day and every business day of the window
    # each snapshot is a complete book: most positions persist from one snapshot to the next
    per_day = [r[0] for r in _rows(con, "select count(*) from holdings group by snapshot_date")]
    assert min(per_day) > 0.7 * max(per_day)


def test_coverage_of_classes_methods_day_counts(con):
    classes = {r[0] for r in _rows(con, "select distinct asset_class from instruments")}
    assert classes == set(sd.ASSET_CLASSES)
    held = {
        r[0]
        for r in _rows(
            con, "select distinct asset_class from holdings join instruments using (instrument_id)"
        )
    }
    assert held == set(sd.ASSET_CLASSES)
    rows = _rows(
        con,
        "select asset_class, valuation_method from holdings join instruments "
        "using (instrument_id) group by all",
    )
    effective = {m or sd.CLASS_DEFAULT_METHOD[c] for c, m in rows}
    assert effective == set(sd.VALUATION_METHODS)
    explicit = _rows(
        con,
        "select asset_class, valuation_method, count(*) from instruments "
        "where valuation_method is not null group by all",
    )
    assert {(c, m) for c, m, _ in explicit} >= {
        ("wealth_product", "price"),
        ("wealth_product", "accrual"),
    }
    n_null = _rows(
        con, "select count(*) filter (where valuation_method is null), count(*) from instruments"
    )[0]
    assert n_null[0] > n_null[1] / 2  # most instruments rely on the class default
    bonds = _rows(
        con,
        "select day_count, coupon_frequency, start_date, maturity_date "
        "from instruments where asset_class = 'bond'",
    )
    assert {b[0] for b in bonds} == set(sd.DAY_COUNTS)
    assert {b[1] for b in bonds} == {0, 1, 2, 4}
    assert any(b[3].day == sd._month_len(b[3].year, b[3].month) and b[3].day >= 30 for b in bonds)
    # short first periods: issue date not on the schedule maturity - k * 12/f months

    def on_schedule(start: date, mat: date, freq: int) -> bool:
        return any(sd._add_months(mat, -k * 12 // freq) == start for k in range(1, 400))

    assert any(not on_schedule(s, m, f) for _, f, s, m in bonds if f)
    assert any(on_schedule(s, m, f) for _, f, s, m in bonds if f)
    accr = _rows(
        con,
        "select distinct day_count from instruments where "
        "coalesce(valuation_method, 'accrual') = 'accrual' and asset_class in "
        "('time_deposit', 'wealth_product') and rate is not null and "
        "start_date is not null and maturity_date is not null",
    )
    assert {r[0] for r in accr} >= {"ACT/360", "ACT/365F"}
    assert {r[0] for r in _rows(con, "select distinct currency from instruments")} == {
        "CNY",
        "USD",
        "HKD",
        "EUR",
    }
    assert {r[0] for r in _rows(con, "select distinct risk_level from instruments")} == {
        "R1",
        "R2",
        "R3",
        "R4",
        "R5",
    }
    # instrument catalogue is shared, not one per customer
    assert _rows(con, "select count(*) < 1000 from instruments") == [(True,)]


def test_quantities_follow_units(con):
    bad = _rows(
        con,
        """
        select asset_class, count(*) from holdings join instruments using (instrument_id)
        where quantity < 0
           or (asset_class = 'stock' and quantity % 100 <> 0)
           or (asset_class = 'bond' and quantity % 1000 <> 0)
           or (asset_class = 'gold' and quantity % 1 <> 0)
           or (asset_class = 'insurance' and quantity not in (1, 2))
           or (asset_class = 'real_estate' and quantity not in (0, 0.5, 1))
        group by 1""",
    )
    assert bad == []
    assert _rows(con, "select count(*) > 0 from holdings where quantity = 0") == [(True,)]
    no_cost = _rows(
        con, "select count(*) filter (where cost_amount is null) / count(*) from holdings"
    )[0][0]
    assert 0 < no_cost < 0.1


def test_positions_trade_over_time(con):
    stats = _rows(
        con,
        """
        with p as (select account_id, instrument_id, min(snapshot_date) first_day,
                          max(snapshot_date) last_day, count(distinct quantity) n_q
                   from holdings group by 1, 2)
        select count(*), count(*) filter (where first_day > date '2025-01-02'),
               count(*) filter (where last_day < date '2025-09-30'),
               count(*) filter (where n_q > 1) from p""",
    )[0]
    total, new, exited, changed = stats
    assert 0.05 * total < new < 0.4 * total
    assert 0.05 * total < exited < 0.4 * total
    assert changed > 0.2 * total
    per_customer = _rows(
        con,
        "select count(distinct account_id || instrument_id) / "
        "(select count(*) from customers) from holdings",
    )[0][0]
    assert 3.5 < per_customer < 7


def test_personal_data_is_realistic(con):
    rows = _rows(con, "select customer_name, id_number, mobile, birth_date, gender from customers")
    assert len({r[1] for r in rows}) == len(rows) and len({r[2] for r in rows}) == len(rows)
    for name, idn, mobile, birth, gender in rows:
        assert 2 <= len(name) <= 4
        assert re.fullmatch(r"\d{17}[\dX]", idn)
        assert sd.id_check_digit(idn[:17]) == idn[17]
        assert idn[6:14] == birth.strftime("%Y%m%d")
        assert gender == ("M" if int(idn[16]) % 2 else "F")
        assert re.fullmatch(r"1[3-9]\d{9}", mobile)
    assert sd.id_check_digit("11010519491231002") == "X"  # GB 11643 worked example
    assert _rows(
        con,
        "select count(distinct risk_profile), count(distinct status), "
        "count(distinct branch_id) > 10, count(household_id) > 0, "
        "count(rm_id) > 0 from customers",
    ) == [(5, 2, True, True, True)]
    assert _rows(con, "select count(*) from branches where city is null or region is null") == [
        (0,)
    ]


def _month_end_aum(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Rough financial AUM per customer on each month's last snapshot (average FX rates,
    principal for accrual products, cash value of the last completed policy year)."""
    return _rows(
        con,
        """
        with usd as (select avg(rate) r from fx_rates where currency_from = 'USD'
                     and currency_to = 'CNY'),
        fx as (select 'CNY' c, 1.0 r union all select 'USD', r from usd
               union all select 'HKD', 1 / (select avg(rate) from fx_rates
                                            where currency_from = 'CNY')
               union all select 'EUR', (select avg(rate) from fx_rates
                                        where currency_from = 'EUR') * (select r from usd)),
        me as (select max(snapshot_date) d from holdings group by date_trunc('month',
                                                                              snapshot_date)),
        h as (select h.*, i.asset_class, i.currency, i.start_date,
                     coalesce(i.valuation_method, case when i.asset_class in
                         ('cash', 'demand_deposit', 'money_market_fund') then 'face'
                         when i.asset_class = 'time_deposit' then 'accrual'
                         when i.asset_class in ('bond', 'insurance') then i.asset_class
                         else 'price' end) m
              from holdings h join instruments i using (instrument_id)
              where snapshot_date in (select d from me) and asset_class <> 'real_estate'),
        v as (select h.*, p.price from h asof left join prices p
              on h.instrument_id = p.instrument_id and h.snapshot_date >= p.price_date),
        w as (select v.*, cv.cash_value from v left join insurance_cash_values cv
              on cv.instrument_id = v.instrument_id
              and cv.policy_year = datediff('year', v.start_date, v.snapshot_date))
        select a.customer_id, snapshot_date,
               sum(quantity * fx.r * case m when 'price' then coalesce(price, 0)
                   when 'bond' then price / 100 when 'insurance' then coalesce(cash_value, 0)
                   else 1 end)
        from w join accounts a using (account_id) join fx on fx.c = w.currency
        group by all""",
    )


def test_every_tier_and_scenarios(con):
    aum = _month_end_aum(con)
    tiers = {sd.tier_of(v) for _, _, v in aum}
    assert tiers == {t for t, _ in sd.TIERS}
    by = {(c, d.month): v for c, d, v in aum}
    for month in range(1, 10):  # at least a few customers in every tier of every month
        counts = {t: 0 for t, _ in sd.TIERS}
        for (_, m), v in by.items():
            if m == month:
                counts[sd.tier_of(v)] += 1
        assert min(counts.values()) >= 2, (month, counts)
    # the window opens on 1 Jan with a book, so January is the first complete month
    assert by[("C0000001", 1)] > 10e6 and all(by[("C0000001", m)] < 10e6 for m in range(2, 10))
    assert by[("C0000002", 2)] > 5e5 > by[("C0000002", 3)] and by[("C0000002", 5)] > 5e5
    assert by[("C0000003", 1)] < 5e4 < by[("C0000003", 9)]
    assert by[("C0000004", 1)] < 5e6 < by[("C0000004", 9)]
    assert by[("C0000005", 1)] > 5e6 > by[("C0000005", 9)]
    assert ("C0000006", 9) not in by and ("C0000007", 1) not in by


def test_market_data_anomalies(con, default_data):
    manifest = json.loads((default_data / "_manifest.json").read_text())
    assert any("EUR->USD" in a and "24 days" in a for a in manifest["anomalies"])
    gaps = dict(
        _rows(
            con,
            """
        select currency_from || currency_to, max(gap) from (select *, rate_date - lag(rate_date)
            over (partition by currency_from, currency_to order by rate_date) gap
            from fx_rates) group by 1""",
        )
    )
    assert set(gaps) == {"USDCNY", "CNYHKD", "EURUSD", "USDHKD"}  # HKD/EUR need inverse/cross
    assert gaps["EURUSD"] > 15 >= gaps["USDCNY"]
    rates = dict(
        _rows(con, "select currency_from || currency_to, avg(rate) from fx_rates group by 1")
    )
    assert 7.0 < rates["USDCNY"] < 7.4 and 0.9 < 1 / rates["CNYHKD"] < 0.95
    assert 1.0 < rates["EURUSD"] < 1.2
    # price-method instruments whose first price comes weeks after the window start
    late = _rows(
        con,
        """
        select i.instrument_id, min(p.price_date), count(h.cost_amount), count(h.quantity)
        from instruments i join prices p using (instrument_id)
        join holdings h on h.instrument_id = i.instrument_id and h.snapshot_date < date
            '2025-02-01'
        group by 1 having min(p.price_date) > date '2025-01-20'""",
    )
    assert len(late) == 2
    assert sum(n_q - n_cost for _, _, n_cost, n_q in late) > 0  # one holder without cost
    # stale prices: a stock suspended for weeks, a trust priced at quarter ends only
    stale = dict(
        _rows(
            con,
            """
        select i.asset_class, max(gap) from (select instrument_id, price_date - lag(price_date)
            over (partition by instrument_id order by price_date) gap from prices) g
        join instruments i using (instrument_id) group by 1""",
        )
    )
    assert stale["stock"] > 20 and stale["trust"] > 45
    # insurance without cash values, held by someone; appraisals for real estate
    assert _rows(
        con,
        """
        select count(distinct i.instrument_id) from instruments i
        join holdings h using (instrument_id)
        where asset_class = 'insurance' and instrument_id not in
            (select instrument_id from insurance_cash_values)""",
    ) == [(1,)]
    appraisals = _rows(
        con,
        "select min(n) from (select count(*) n from prices join instruments "
        "using (instrument_id) where asset_class = 'real_estate' "
        "group by instrument_id)",
    )
    assert appraisals[0][0] >= 3
    assert _rows(
        con,
        "select count(*) from instruments where asset_class = 'insurance' and "
        "start_date = date '2020-02-29'",
    ) == [(1,)]


def test_deterministic_and_chunk_independent(tmp_path):
    args = {"customers": 1100, "days": 40, "seed": 7}
    sd.generate(tmp_path / "a", chunk_customers=300, **args)
    sd.generate(tmp_path / "b", chunk_customers=300, **args)
    sd.generate(tmp_path / "c", chunk_customers=50_000, **args)
    sd.generate(tmp_path / "d", customers=1100, days=40, seed=8)
    for t in TABLES:
        a, b = _read(tmp_path / "a", t), _read(tmp_path / "b", t)
        assert a.equals(b), t
        keys = [(k, "ascending") for k in GRAIN[t]]
        assert a.sort_by(keys).equals(_read(tmp_path / "c", t).sort_by(keys)), t
    assert not _read(tmp_path / "a", "holdings").equals(_read(tmp_path / "d", "holdings"))


def test_csv_format(tmp_path):
    sd.generate(tmp_path / "p", customers=60, days=31)
    manifest = sd.generate(tmp_path / "c", customers=60, days=31, fmt="csv")
    assert not list((tmp_path / "c").glob("*.parquet"))
    header = (tmp_path / "c" / "holdings.csv").read_text().splitlines()[:2]
    assert header[0] == '"snapshot_date","account_id","instrument_id","quantity","cost_amount"'
    assert re.match(r"2025-01-\d\d,", header[1])
    for t in TABLES:
        # the same data as the parquet files, once read back with the declared types
        opts = pacsv.ConvertOptions(column_types=sd.SCHEMAS[t], strings_can_be_null=True)
        csv = pacsv.read_csv(tmp_path / "c" / f"{t}.csv", convert_options=opts)
        assert csv.num_rows == manifest["row_counts"][t]
        assert csv.equals(_read(tmp_path / "p", t)), t


def test_cache_skip_and_force(tmp_path, capsys):
    out = tmp_path / "s"
    argv = ["--out", str(out), "--customers", "40", "--days", "20", "--quiet"]
    assert sd.main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    stamp = (out / "holdings.parquet").stat().st_mtime_ns
    assert sd.main(argv) == 0
    assert "cached" in capsys.readouterr().out
    assert (out / "holdings.parquet").stat().st_mtime_ns == stamp
    assert sd.main([*argv, "--force"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert sd.main([*argv, "--seed", "1"]) == 0  # other parameters: regenerated
    assert "wrote" in capsys.readouterr().out
    (out / "prices.parquet").unlink()  # incomplete folder: regenerated
    assert sd.main([*argv, "--seed", "1"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert not list(out.glob(".*tmp"))
    with pytest.raises(SystemExit):
        sd.main(["--out", str(out), "--start", "2025-01-15"])
