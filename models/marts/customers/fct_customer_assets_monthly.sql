-- depends_on: {{ ref('int_restatement_plan') }}
-- depends_on: {{ ref('int_valuation_window') }}
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
-- months included. "aum" is financial_aum. Period averages (日均) follow docs/marts.md#period-averages: the sum
-- of the daily figure over the calendar days of the period inside the window (积数, kept as
-- aum_day_sum) divided by the number of those days; a day without holdings counts as 0.
-- Sums start from int_customer_assets_daily (the daily figures unrounded), so net_flow,
-- market_effect, valuation_effect and avg_daily_aum_month are rounded once, here. month_end_aum
-- is the published daily figure of the month's last day (and month_end_aum_change the change
-- between two published month ends).
-- Incremental: the months from the restated date's month on are recomputed from the daily facts;
-- quarter- and year-to-date sums and the previous month-end come from the months already
-- published (the pre-hook has removed the restated ones), so no earlier daily row is read.
-- Both paths build QTD / YTD from the published (4-decimal) monthly 积数, so they agree exactly.
{% set first_month = "cast(" ~ dbt.date_trunc('month', restate_from()) ~ " as date)" %}
with daily as (
    select
        daily.*,
        calendar.month_start
    from {{ ref('int_customer_assets_daily') }} as daily
    inner join {{ ref('int_calendar_days') }} as calendar
        on daily.as_of_date = calendar.date_day
    {%- if is_incremental() %}
    where daily.as_of_date >= {{ first_month }}
    {%- endif %}
),

months as (
    select * from {{ ref('int_calendar_months') }}
    {%- if is_incremental() %}
    where month_start >= {{ first_month }}
    {%- endif %}
),

first_months as (
    select customer_id, min(first_month_start) as first_month_start
    from (
        select customer_id, min(month_start) as first_month_start
        from daily
        where has_holdings
        group by customer_id
        {%- if is_incremental() %}
        union all
        select customer_id, min(month_start) as first_month_start
        from {{ this }}
        group by customer_id
        {%- endif %}
    ) as candidates
    group by customer_id
),

customer_months as (
    select first_months.customer_id, months.*
    from first_months
    inner join months on first_months.first_month_start <= months.month_start
),

monthly_sums as (
    select
        customer_id,
        month_start,
        -- exact DECIMAL(38, 10) sums of the unrounded daily figures: the same whatever the order
        -- of the rows, so two builds of the same data give the same figures to the last digit
        sum(financial_aum) as sum_daily_aum,
        max(financial_aum) as max_row_aum,
        min(financial_aum) as min_row_aum,
        count(*) as days_with_rows,
        sum(case when has_holdings then 1 else 0 end) as days_with_holdings,
        min(case when has_holdings then as_of_date end) as first_holding_date,
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
        round(coalesce(monthly_sums.sum_daily_aum, 0), 4) as aum_day_sum,
        coalesce(monthly_sums.days_with_rows, 0) as days_with_rows,
        coalesce(monthly_sums.days_with_holdings, 0) as days_with_holdings,
        monthly_sums.first_holding_date,
        monthly_sums.max_row_aum,
        monthly_sums.min_row_aum,
        coalesce(monthly_sums.net_flow, 0) as net_flow,
        coalesce(monthly_sums.market_effect, 0) as market_effect,
        coalesce(monthly_sums.valuation_effect, 0) as valuation_effect,
        round(coalesce(month_end.financial_aum, 0), 4) as month_end_aum,
        round(coalesce(month_end.total_assets, 0), 4) as month_end_total_assets
    from customer_months
    left join monthly_sums
        on customer_months.customer_id = monthly_sums.customer_id
        and customer_months.month_start = monthly_sums.month_start
    left join daily as month_end
        on customer_months.customer_id = month_end.customer_id
        and customer_months.last_observed_date = month_end.as_of_date
),

{% if is_incremental() %}
-- what the restated months need from the months already published
published as (
    select
        customer_id,
        sum(case when month_start >= cast({{ dbt.date_trunc('quarter', first_month) }} as date)
            then aum_day_sum else 0 end) as quarter_day_sum_before,
        sum(case when month_start >= cast({{ dbt.date_trunc('year', first_month) }} as date)
            then aum_day_sum else 0 end) as year_day_sum_before,
        max(case when month_start = cast({{ dbt.dateadd('month', -1, first_month) }} as date)
            then month_end_aum end) as previous_month_end_aum
    from {{ this }}
    group by customer_id
),
{% endif %}

averaged as (
    select
        assembled.*,
        {%- for period, suffix in [('quarter', 'qtd'), ('year', 'ytd')] %}
        sum(assembled.aum_day_sum) over (
            partition by assembled.customer_id, assembled.{{ period }}_start order by assembled.month_start
            rows between unbounded preceding and current row
        )
        {%- if is_incremental() %}
        + case
            when assembled.{{ period }}_start = cast({{ dbt.date_trunc(period, first_month) }} as date)
                then coalesce(published.{{ period }}_day_sum_before, 0)
            else 0
        end
        {%- endif %} as sum_daily_aum_{{ suffix }},
        {%- endfor %}
        {%- if is_incremental() %}
        coalesce(
            lag(assembled.month_end_aum) over (partition by assembled.customer_id order by assembled.month_start),
            case when assembled.month_start = {{ first_month }} then published.previous_month_end_aum end
        ) as previous_month_end_aum
        {%- else %}
        lag(assembled.month_end_aum) over (partition by assembled.customer_id order by assembled.month_start)
            as previous_month_end_aum
        {%- endif %}
    from assembled
    {%- if is_incremental() %}
    left join published on assembled.customer_id = published.customer_id
    {%- endif %}
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
    {{ to_money('aum_day_sum') }} as aum_day_sum,
    {{ to_money('net_flow') }} as net_flow,
    {{ to_money('market_effect') }} as market_effect,
    {{ to_money('valuation_effect') }} as valuation_effect,
    cast(days_observed as integer) as days_observed,
    cast(days_with_holdings as integer) as days_with_holdings,
    days_with_holdings > 0 as has_holdings,
    first_holding_date,
    is_complete_month,
    last_observed_date
from averaged
