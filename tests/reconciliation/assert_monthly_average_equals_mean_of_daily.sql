-- avg_daily_aum_month equals the sum of the month's daily financial_aum divided by its calendar
-- days inside the window: days without a daily row count as 0 (docs/marts.md#period-averages).
-- Checks the months the latest run restated (all of them after a full build).
with daily_sums as (
    select
        daily.customer_id,
        calendar.month_start,
        sum(daily.financial_aum) as sum_aum
    from {{ ref('fct_customer_assets_daily') }} as daily
    inner join {{ ref('int_calendar_days') }} as calendar
        on daily.as_of_date = calendar.date_day
    where {{ restated_rows('daily.as_of_date', grain='month') }}
    group by daily.customer_id, calendar.month_start
)

select
    monthly.customer_id,
    monthly.month_start,
    monthly.avg_daily_aum_month,
    coalesce(daily_sums.sum_aum, 0) / monthly.days_observed as recomputed
from {{ ref('fct_customer_assets_monthly') }} as monthly
left join daily_sums
    on monthly.customer_id = daily_sums.customer_id
    and monthly.month_start = daily_sums.month_start
where {{ restated_rows('monthly.month_start', grain='month') }}
    and abs(monthly.avg_daily_aum_month - coalesce(daily_sums.sum_aum, 0) / monthly.days_observed) > 0.0001
