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

-- the start is applied as a join, not a scalar-subquery filter (3x slower at 25M rows here)
positions as (
    select
        holdings.snapshot_date,
        holdings.account_id,
        holdings.instrument_id,
        holdings.quantity,
        hash(holdings.account_id, holdings.instrument_id) as position_hash
    from {{ ref('stg_raw__holdings') }} as holdings
    inner join lookup_start
        on holdings.snapshot_date >= lookup_start.snapshot_date
    where holdings.account_id is not null
        and holdings.instrument_id is not null
        and holdings.quantity <> 0
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
),

-- each position of the snapshot before, keyed for the next snapshot by a 64-bit hash of its
-- key: a join on one integer, carrying one number, is several times cheaper than on the two
-- text keys at tens of millions of rows
previous_positions as (
    select
        snapshots.snapshot_date,
        positions.position_hash,
        positions.quantity as previous_quantity
    from positions
    inner join snapshots
        on positions.snapshot_date = snapshots.previous_snapshot_date
),

candidates as (
    select
        positions.snapshot_date,
        positions.account_id,
        positions.instrument_id,
        positions.quantity,
        rules.max_quantity_jump,
        rules.jump_policy
    from positions
    inner join previous_positions
        on positions.snapshot_date = previous_positions.snapshot_date
        and positions.position_hash = previous_positions.position_hash
    inner join rules
        on positions.instrument_id = rules.instrument_id
    where abs(positions.quantity) > rules.max_quantity_jump * abs(previous_positions.previous_quantity)
)

-- the few candidates checked again on the real keys (a hash collision cannot trip the rule)
select
    candidates.snapshot_date,
    candidates.account_id,
    candidates.instrument_id,
    previous.quantity as previous_quantity,
    candidates.jump_policy
from candidates
inner join snapshots
    on candidates.snapshot_date = snapshots.snapshot_date
inner join positions as previous
    on snapshots.previous_snapshot_date = previous.snapshot_date
    and candidates.account_id = previous.account_id
    and candidates.instrument_id = previous.instrument_id
where abs(candidates.quantity) > candidates.max_quantity_jump * abs(previous.quantity)
