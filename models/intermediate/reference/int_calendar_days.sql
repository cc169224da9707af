-- Grain: date_day. Every calendar day of the valuation window with its month, quarter and
-- year; the spine every day-grained model joins to (no customer x day cross join anywhere).
with bounds as (
    select window_start_date, window_end_date from {{ ref('int_valuation_window') }}
),

days as (
    {{ date_range('(select window_start_date from bounds)', '(select window_end_date from bounds)') }}
)

select
    days.date_day,
    cast({{ dbt.date_trunc('month', 'days.date_day') }} as date) as month_start,
    cast({{ dbt.date_trunc('quarter', 'days.date_day') }} as date) as quarter_start,
    cast({{ dbt.date_trunc('year', 'days.date_day') }} as date) as year_start,
    days.date_day = bounds.window_start_date as is_window_start,
    days.date_day = bounds.window_end_date as is_window_end
from days
cross join bounds
