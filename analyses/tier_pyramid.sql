-- The tier pyramid (客户金字塔) for one evaluation month: customers and financial AUM per
-- assigned tier, with each tier's share, top tier first.
-- Compile with: dbt compile --select tier_pyramid --vars '{analysis_month: 2025-06-01}'
{% set month = var('analysis_month', '2025-06-01') %}
with assigned as (
    select assigned_tier, count(*) as customers, sum(tier_basis_aum) as financial_aum
    from {{ ref('fct_customer_tiers_monthly') }}
    where month_start = cast({{ sql_literal(month) }} as date)
    group by assigned_tier
)

select
    tiers.tier_rank,
    tiers.tier_code,
    tiers.tier_name_zh,
    coalesce(assigned.customers, 0) as customers,
    coalesce(assigned.financial_aum, 0) as financial_aum,
    coalesce(assigned.customers, 0) * 1.0 / nullif(sum(assigned.customers) over (), 0) as customer_share,
    coalesce(assigned.financial_aum, 0) / nullif(sum(assigned.financial_aum) over (), 0) as aum_share
from {{ ref('dim_aum_tiers') }} as tiers
left join assigned on tiers.tier_code = assigned.assigned_tier
order by tiers.tier_rank desc
