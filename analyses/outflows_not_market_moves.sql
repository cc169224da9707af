-- Customers whose money actually left this month (net_flow), as opposed to those whose AUM fell
-- with the market (market_effect) or because a holding could not be valued (valuation_effect).
{% set month = var('analysis_month', '2025-06-01') %}
select
    customer_id,
    month_end_aum_change,
    net_flow,
    market_effect,
    valuation_effect
from {{ ref('fct_customer_assets_monthly') }}
where month_start = cast({{ sql_literal(month) }} as date)
    and net_flow < 0
order by net_flow
limit 50
