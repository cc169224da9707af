-- A snapshot whose position count or total value (reporting currency, valued rows) falls by more
-- than var snapshot_drop_threshold against the previous snapshot usually means a source system's
-- file was missing. Warns by default; var snapshot_drop_severity: error makes it stop the build.
{{ config(severity=var('snapshot_drop_severity')) }}
with snapshots as (
    select distinct snapshot_date
    from {{ ref('int_snapshot_books') }}
),

books as (
    select
        snapshot_date,
        count(*) as positions,
        sum(coalesce(market_value_reporting, 0)) as total_value
    from {{ ref('fct_holding_valuations_daily') }}
    where valuation_date = snapshot_date
    group by snapshot_date
),

compared as (
    select
        snapshots.snapshot_date,
        coalesce(books.positions, 0) as positions,
        coalesce(books.total_value, 0) as total_value,
        lag(coalesce(books.positions, 0)) over (order by snapshots.snapshot_date) as previous_positions,
        lag(coalesce(books.total_value, 0)) over (order by snapshots.snapshot_date) as previous_total_value
    from snapshots
    left join books on snapshots.snapshot_date = books.snapshot_date
)

select *
from compared
where positions < (1 - {{ var('snapshot_drop_threshold') }}) * previous_positions
    or total_value < (1 - {{ var('snapshot_drop_threshold') }}) * previous_total_value
