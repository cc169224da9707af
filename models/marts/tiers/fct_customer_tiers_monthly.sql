-- Grain: customer_id, month_start (the evaluation month). One row per customer and complete
-- month from the customer's first evaluated month (docs/tiers.md#monthly-evaluation).
-- assigned_tier of month m holds from effective_month_start = the first day of month m+1.
with assigned as (
    select * from {{ ref('int_customer_tiers_assigned') }}
),

tiers as (
    select tier_code, tier_rank from {{ ref('dim_aum_tiers') }}
)

select
    assigned.customer_id,
    cast(assigned.month_start as date) as month_start,
    cast({{ dbt.dateadd('month', 1, 'cast(assigned.month_start as date)') }} as date) as effective_month_start,
    {{ to_money('assigned.tier_basis_aum') }} as tier_basis_aum,
    assigned.qualified_tier,
    assigned.assigned_tier,
    assigned.previous_tier,
    assigned.tier_change,
    assigned_rank.tier_rank as assigned_tier_rank,
    cast(assigned.months_below_tier as integer) as months_below_tier,
    cast(assigned.is_watch as boolean) as is_watch
from assigned
left join tiers as assigned_rank
    on assigned.assigned_tier = assigned_rank.tier_code
