-- Top 20 customers by 月日均 (avg_daily_aum_month) for one month, with their tier, branch and
-- how the month's change split into flows and market moves.
-- Compile with: dbt compile --select top_customers_by_month_avg_aum --vars '{analysis_month: 2025-06-01}'
{% set month = var('analysis_month', '2025-06-01') %}
select
    monthly.customer_id,
    customers.customer_name_masked,
    customers.branch_name,
    tiers.assigned_tier,
    monthly.avg_daily_aum_month,
    monthly.month_end_aum,
    monthly.net_flow,
    monthly.market_effect,
    monthly.valuation_effect,
    rank() over (order by monthly.avg_daily_aum_month desc) as aum_rank
from {{ ref('fct_customer_assets_monthly') }} as monthly
inner join {{ ref('dim_customers') }} as customers
    on monthly.customer_id = customers.customer_id
left join {{ ref('fct_customer_tiers_monthly') }} as tiers
    on monthly.customer_id = tiers.customer_id
    and monthly.month_start = tiers.month_start
where monthly.month_start = cast({{ sql_literal(month) }} as date)
order by monthly.avg_daily_aum_month desc
limit 20
