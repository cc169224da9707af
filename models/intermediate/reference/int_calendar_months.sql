-- Grain: month_start. Months touching the valuation window, with the number of their calendar
-- days inside the window (days_observed), the same count for quarter- and year-to-date
-- (denominators of 季日均 and 年日均), and whether the whole month lies inside the window.
with months as (
    select
        month_start,
        quarter_start,
        year_start,
        min(date_day) as first_observed_date,
        max(date_day) as last_observed_date,
        count(*) as days_observed
    from {{ ref('int_calendar_days') }}
    group by month_start, quarter_start, year_start
)

select
    month_start,
    quarter_start,
    year_start,
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date) as month_end,
    first_observed_date,
    last_observed_date,
    days_observed,
    sum(days_observed) over (
        partition by quarter_start order by month_start rows between unbounded preceding and current row
    ) as days_observed_qtd,
    sum(days_observed) over (
        partition by year_start order by month_start rows between unbounded preceding and current row
    ) as days_observed_ytd,
    days_observed = {{ dbt.datediff('month_start', dbt.dateadd('month', 1, 'month_start'), 'day') }}
        as is_complete_month
from months
