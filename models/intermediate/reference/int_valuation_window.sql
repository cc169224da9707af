-- Grain: one row. The valuation window (docs/valuation.md#the-valuation-window): every calendar
-- day from the first to the last snapshot_date, narrowed (never widened) by vars
-- valuation_start_date / _end_date.
{% set start_var = var('valuation_start_date') %}
{% set end_var = var('valuation_end_date') %}
with snapshot_bounds as (
    select
        min(snapshot_date) as first_snapshot_date,
        max(snapshot_date) as last_snapshot_date
    from {{ ref('stg_raw__holdings') }}
    where snapshot_date is not null
)

select
    first_snapshot_date,
    last_snapshot_date,
    {% if start_var %}greatest(first_snapshot_date, cast({{ sql_literal(start_var) }} as date))
    {% else %}first_snapshot_date{% endif %} as window_start_date,
    {% if end_var %}least(last_snapshot_date, cast({{ sql_literal(end_var) }} as date))
    {% else %}last_snapshot_date{% endif %} as window_end_date
from snapshot_bounds
