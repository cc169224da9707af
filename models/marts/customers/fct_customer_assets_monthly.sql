-- depends_on: {{ ref('int_restatement_plan') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_restated_rows('month_start', grain='month') }}"
    )
}}
-- Grain: customer_id, month_start. One row per customer and calendar month of the window, from
-- the first month in which the customer holds anything to the last month of the window, empty
-- months included. "aum" is financial_aum. Period averages (日均) follow SPEC section 1: the sum
-- of the daily figure over the calendar days of the period inside the window, divided by the
-- number of those days; a day without holdings counts as 0.
-- Incremental: months from the restated date's month on are recomputed; the daily rows are read
-- from the start of that year (or the month before, in January) so that quarter- and
-- year-to-date averages and the month-over-month change see the months they depend on.
{%- set first_month = "cast(" ~ dbt.date_trunc('month', restate_from()) ~ " as date)" %}
{%- set read_from = "least(cast(" ~ dbt.date_trunc('year', first_month) ~ " as date), cast("
    ~ dbt.dateadd('month', -1, first_month) ~ " as date))" %}
with daily as (
    select
        daily.*,
        calendar.month_start
    from {{ ref('fct_customer_assets_daily') }} as daily
    inner join {{ ref('int_calendar_days') }} as calendar
        on daily.as_of_date = calendar.date_day
    {%- if is_incremental() %}
    where daily.as_of_date >= {{ read_from }}
    {%- endif %}
),

months as (
    select * from {{ ref('int_calendar_months') }}
    {%- if is_incremental() %}
    where month_start >= {{ read_from }}
    {%- endif %}
),

first_months as (
    select customer_id, min(as_of_date) as first_holding_date
    from {{ ref('fct_customer_assets_daily') }}
    where has_holdings
    group by customer_id
),

customer_months as (
    select first_months.customer_id, months.*
    from first_months
    inner join months
        on months.month_start >= cast({{ dbt.date_trunc('month', 'first_months.first_holding_date') }} as date)
),

monthly_sums as (
    select
        customer_id,
        month_start,
        sum(cast(financial_aum as {{ type_double() }})) as sum_daily_aum,
        max(financial_aum) as max_row_aum,
        min(financial_aum) as min_row_aum,
        count(*) as days_with_rows,
        sum(case when has_holdings then 1 else 0 end) as days_with_holdings,
        sum(net_flow) as net_flow,
        sum(market_effect) as market_effect,
        sum(valuation_effect) as valuation_effect
    from daily
    group by customer_id, month_start
),

assembled as (
    select
        customer_months.customer_id,
        customer_months.month_start,
        customer_months.quarter_start,
        customer_months.year_start,
        customer_months.last_observed_date,
        customer_months.days_observed,
        customer_months.days_observed_qtd,
        customer_months.days_observed_ytd,
        customer_months.is_complete_month,
        coalesce(monthly_sums.sum_daily_aum, 0) as sum_daily_aum,
        coalesce(monthly_sums.days_with_rows, 0) as days_with_rows,
        coalesce(monthly_sums.days_with_holdings, 0) as days_with_holdings,
        monthly_sums.max_row_aum,
        monthly_sums.min_row_aum,
        coalesce(monthly_sums.net_flow, 0) as net_flow,
        coalesce(monthly_sums.market_effect, 0) as market_effect,
        coalesce(monthly_sums.valuation_effect, 0) as valuation_effect,
        coalesce(month_end.financial_aum, 0) as month_end_aum,
        coalesce(month_end.total_assets, 0) as month_end_total_assets
    from customer_months
    left join monthly_sums
        on customer_months.customer_id = monthly_sums.customer_id
        and customer_months.month_start = monthly_sums.month_start
    left join daily as month_end
        on customer_months.customer_id = month_end.customer_id
        and customer_months.last_observed_date = month_end.as_of_date
),

averaged as (
    select
        assembled.*,
        sum(sum_daily_aum) over (
            partition by customer_id, quarter_start order by month_start
            rows between unbounded preceding and current row
        ) as sum_daily_aum_qtd,
        sum(sum_daily_aum) over (
            partition by customer_id, year_start order by month_start
            rows between unbounded preceding and current row
        ) as sum_daily_aum_ytd,
        lag(month_end_aum) over (partition by customer_id order by month_start) as previous_month_end_aum
    from assembled
)

select
    customer_id,
    month_start,
    {{ to_money('month_end_aum') }} as month_end_aum,
    {{ to_money('month_end_total_assets') }} as month_end_total_assets,
    {{ to_money('sum_daily_aum / days_observed') }} as avg_daily_aum_month,
    {{ to_money('sum_daily_aum_qtd / days_observed_qtd') }} as avg_daily_aum_qtd,
    {{ to_money('sum_daily_aum_ytd / days_observed_ytd') }} as avg_daily_aum_ytd,
    {{ to_money('case when days_with_rows < days_observed then greatest(coalesce(max_row_aum, 0), 0) else max_row_aum end') }}
        as max_daily_aum,
    {{ to_money('case when days_with_rows < days_observed then least(coalesce(min_row_aum, 0), 0) else min_row_aum end') }}
        as min_daily_aum,
    {{ to_money('month_end_aum - previous_month_end_aum') }} as month_end_aum_change,
    {{ to_money('net_flow') }} as net_flow,
    {{ to_money('market_effect') }} as market_effect,
    {{ to_money('valuation_effect') }} as valuation_effect,
    cast(days_observed as integer) as days_observed,
    cast(days_with_holdings as integer) as days_with_holdings,
    days_with_holdings > 0 as has_holdings,
    is_complete_month,
    last_observed_date
from averaged
{%- if is_incremental() %}
where month_start >= {{ first_month }}
{%- endif %}
