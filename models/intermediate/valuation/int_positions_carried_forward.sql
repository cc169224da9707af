-- depends_on: {{ ref('int_restatement_plan') }}
{{ config(materialized='view') }}
-- Grain: date_day, account_id, instrument_id. The carried book: every position of the snapshot
-- in force on each day of the window (docs/valuation.md#the-carried-book). A position absent
-- from a snapshot, or with quantity 0, is no position. Rows whose key could not be parsed are
-- not positions (they are listed in fct_input_exceptions); a row whose quantity could not be
-- parsed is kept, as a position that cannot be valued. A view: it is read by the valuation fact
-- (and its reconciliation test) for the days the run restates.
-- previous_quantity: the same position's quantity in the snapshot just before (null when it was
-- not held there), for the quantity-jump rule of seed plausibility_rules. It is looked up for
-- the snapshots in force from int_restatement_plan.restate_from on (and null before), so a
-- night joins a few snapshots, not the whole history.
{% set first_restated_book -%}
    (select snapshot_date from {{ ref('int_snapshot_books') }} where date_day = {{ restate_from() }})
{%- endset %}
with positions as (
    select
        snapshot_date,
        account_id,
        instrument_id,
        quantity,
        cost_amount,
        row_issue
    from {{ ref('stg_raw__holdings') }}
    where account_id is not null
        and instrument_id is not null
        and (quantity is null or quantity <> 0)
),

snapshots as (
    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date
    from (select distinct snapshot_date from {{ ref('int_snapshot_books') }}) as distinct_snapshots
),

-- the earliest snapshot whose positions are needed as a previous snapshot: the one before the
-- book in force on restate_from (every snapshot on a full build, whose restate_from precedes
-- every book; none when the run restates nothing)
lookup_start as (
    select
        case
            when {{ restate_from() }} is null then null
            when {{ first_restated_book }} is null then cast('0001-01-01' as date)
            else coalesce(
                (select previous_snapshot_date from snapshots
                 where snapshot_date = {{ first_restated_book }}),
                {{ first_restated_book }}
            )
        end as snapshot_date
),

previous_positions as (
    select
        snapshots.snapshot_date,
        positions.account_id,
        positions.instrument_id,
        positions.quantity as previous_quantity
    from positions
    inner join snapshots
        on positions.snapshot_date = snapshots.previous_snapshot_date
    where positions.snapshot_date >= (select lookup_start.snapshot_date from lookup_start)
)

select
    books.date_day,
    positions.account_id,
    positions.instrument_id,
    positions.snapshot_date,
    positions.quantity,
    positions.cost_amount,
    positions.row_issue,
    previous_positions.previous_quantity
from positions
inner join {{ ref('int_snapshot_books') }} as books
    on positions.snapshot_date = books.snapshot_date
left join previous_positions
    on positions.snapshot_date = previous_positions.snapshot_date
    and positions.account_id = previous_positions.account_id
    and positions.instrument_id = previous_positions.instrument_id
