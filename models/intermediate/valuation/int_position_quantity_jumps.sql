-- depends_on: {{ ref('int_restatement_plan') }}
{{ config(materialized='view') }}
-- Grain: snapshot_date, account_id, instrument_id. The positions whose quantity is more than
-- their asset class's max_quantity_jump times the same position's quantity in the snapshot just
-- before (seed plausibility_rules, docs/data-quality.md#plausibility-rules), with that previous
-- quantity and the class's jump_policy. Only growth is checked, and only positions held in both
-- snapshots (a new position is checked by the value cap).
-- A view read by the valuation fact, for the snapshots in force from
-- int_restatement_plan.restate_from on: the snapshot before the first restated book is the
-- earliest one read, so a night compares a few snapshots, not the whole history (a full build,
-- whose restate_from precedes every book, reads them all; a run restating nothing, none). Few
-- rows, so the fact joins it cheaply.
{% set first_restated_book -%}
    (select snapshot_date from {{ ref('int_snapshot_books') }} where date_day = {{ restate_from() }})
{%- endset %}
with snapshots as (
    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date
    from (select distinct snapshot_date from {{ ref('int_snapshot_books') }}) as distinct_snapshots
),

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

positions as (
    select
        snapshot_date,
        account_id,
        instrument_id,
        quantity
    from {{ ref('stg_raw__holdings') }}
    where account_id is not null
        and instrument_id is not null
        and quantity <> 0
        and snapshot_date >= (select lookup_start.snapshot_date from lookup_start)
),

rules as (
    select
        instruments.instrument_id,
        plausibility.max_quantity_jump,
        plausibility.jump_policy
    from {{ ref('stg_raw__instruments') }} as instruments
    inner join {{ ref('plausibility_rules') }} as plausibility
        on instruments.asset_class = plausibility.asset_class
    where plausibility.max_quantity_jump is not null
        and instruments.instrument_id is not null
)

select
    current_positions.snapshot_date,
    current_positions.account_id,
    current_positions.instrument_id,
    previous_positions.quantity as previous_quantity,
    rules.jump_policy
from positions as current_positions
inner join snapshots
    on current_positions.snapshot_date = snapshots.snapshot_date
inner join positions as previous_positions
    on snapshots.previous_snapshot_date = previous_positions.snapshot_date
    and current_positions.account_id = previous_positions.account_id
    and current_positions.instrument_id = previous_positions.instrument_id
inner join rules
    on current_positions.instrument_id = rules.instrument_id
where abs(current_positions.quantity) > rules.max_quantity_jump * abs(previous_positions.quantity)
