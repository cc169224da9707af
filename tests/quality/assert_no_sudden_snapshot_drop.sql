-- A snapshot whose position count or total value (reporting currency, valued rows) falls by more
-- than var snapshot_drop_threshold against the previous snapshot usually means a source system's
-- file was missing. Warns by default; var snapshot_drop_severity: error makes it stop the build.
-- Checks the snapshots the latest run restated (all of them after a full build), each against
-- the one before it.
{{ config(severity=var('snapshot_drop_severity')) }}
with all_snapshots as (
    select distinct snapshot_date
    from {{ ref('int_snapshot_books') }}
),

-- the last snapshot before the first restated day: the baseline of the first comparison
baseline as (
    select coalesce(
        (
            select max(snapshot_date)
            from all_snapshots
            where not {{ restated_rows('snapshot_date') }}
        ),
        {{ restated_from() }}
    ) as baseline_date
),

snapshots as (
    select all_snapshots.snapshot_date
    from all_snapshots
    cross join baseline
    where all_snapshots.snapshot_date >= baseline.baseline_date
),

books as (
    select
        snapshot_date,
        count(*) as positions,
        sum(coalesce(market_value_reporting, 0)) as total_value
    from {{ ref('fct_holding_valuations_daily') }}
    where valuation_date = snapshot_date
        and valuation_date >= (select baseline.baseline_date from baseline)
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
