"""A lower bound for the project's work: hand-written DuckDB SQL over the same raw files that
computes and writes the holding-day values and the daily customer financial AUM for the
face and price methods only (as-of prices and direct FX through ASOF joins, no audit trail, no
exceptions, no flows, no tests). The project must do strictly more; the ratio says how much
its layering, contracts and checks cost."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

SQL = """
create or replace table lb_holding_values as
with snaps as (
    select distinct snapshot_date from read_parquet('{raw}/holdings.parquet')
),
books as (
    select snapshot_date, lead(snapshot_date) over (order by snapshot_date) as next_snapshot
    from snaps
),
days as (
    select cast(unnest(generate_series(cast(min(snapshot_date) as timestamp),
                                       cast(max(snapshot_date) as timestamp),
                                       interval 1 day)) as date) as d
    from snaps
),
book_days as (
    select days.d, books.snapshot_date
    from days join books
      on days.d >= books.snapshot_date
     and (books.next_snapshot is null or days.d < books.next_snapshot)
),
rules as (
    select * from read_csv('{seeds}/asset_class_rules.csv', header = true)
),
instruments as (
    select i.instrument_id, i.currency, r.include_in_financial_aum,
           coalesce(i.valuation_method, r.default_valuation_method) as method
    from read_parquet('{raw}/instruments.parquet') i
    join rules r on i.asset_class = r.asset_class
    where coalesce(i.valuation_method, r.default_valuation_method) in ('face', 'price')
),
positions as (
    select bd.d, h.account_id, h.instrument_id, h.quantity, i.method, i.currency,
           i.include_in_financial_aum
    from read_parquet('{raw}/holdings.parquet') h
    join book_days bd on h.snapshot_date = bd.snapshot_date
    join instruments i on h.instrument_id = i.instrument_id
    where h.quantity <> 0
),
priced as (
    select p.*, pr.price
    from positions p
    asof left join read_parquet('{raw}/prices.parquet') pr
      on p.instrument_id = pr.instrument_id and p.d >= pr.price_date
),
fx as (
    select rate_date, currency_from, rate
    from read_parquet('{raw}/fx_rates.parquet') where currency_to = 'CNY'
),
converted as (
    select priced.*, case when priced.currency = 'CNY' then 1 else fx.rate end as fx_rate
    from priced
    asof left join fx on priced.currency = fx.currency_from and priced.d >= fx.rate_date
)
select d as valuation_date, account_id, instrument_id, include_in_financial_aum,
       quantity * case method when 'face' then 1 else price end * fx_rate as value
from converted;

create or replace table lb_customer_daily as
with owners as (
    select account_id, customer_id, ownership_share
    from read_parquet('{raw}/account_holders.parquet')
    union all
    select a.account_id, a.customer_id, 1.0
    from read_parquet('{raw}/accounts.parquet') a
    where a.account_id not in (select account_id from read_parquet('{raw}/account_holders.parquet'))
)
select o.customer_id, v.valuation_date as as_of_date,
       sum(case when v.include_in_financial_aum then v.value * o.ownership_share else 0 end)
           as financial_aum
from lb_holding_values v join owners o on v.account_id = o.account_id
group by o.customer_id, v.valuation_date;
"""


def run(
    raw: Path, seeds: Path, database: Path, memory_limit: str = "12GB", threads: int = 2
) -> dict:
    database.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(database))
    con.execute(
        f"set memory_limit = '{memory_limit}'; set threads = {threads};"
        " set preserve_insertion_order = false;"
    )
    con.execute(SQL.format(raw=raw, seeds=seeds))
    rows = con.execute("select count(*) from lb_holding_values").fetchone()[0]
    customer_days = con.execute("select count(*) from lb_customer_daily").fetchone()[0]
    con.close()
    return {
        "seconds": time.perf_counter() - start,
        "holding_days": rows,
        "customer_days": customer_days,
    }
