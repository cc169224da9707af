-- Grain: month_start (evaluation month), from_tier, to_tier. The tier migration matrix (客户迁移):
-- from_tier is the previous assigned tier ('new' for a customer's first evaluation), to_tier the
-- assigned tier. Every from x to combination of every evaluated month is present (0 customers
-- where none moved that way), unchanged customers included, so BI can draw the full matrix.
with assignments as (
    select
        month_start,
        coalesce(previous_tier, 'new') as from_tier,
        assigned_tier as to_tier,
        tier_basis_aum
    from {{ ref('fct_customer_tiers_monthly') }}
),

months as (
    select distinct month_start from assignments
),

tiers as (
    select tier_code, tier_rank from {{ ref('dim_aum_tiers') }}
),

from_tiers as (
    select tier_code as from_tier, tier_rank as from_tier_rank from tiers
    union all
    select
        'new' as from_tier,
        0 as from_tier_rank
),

grid as (
    select months.month_start, from_tiers.from_tier, from_tiers.from_tier_rank,
        tiers.tier_code as to_tier, tiers.tier_rank as to_tier_rank
    from months
    cross join from_tiers
    cross join tiers
),

counted as (
    select month_start, from_tier, to_tier, count(*) as customers, sum(tier_basis_aum) as financial_aum
    from assignments
    group by month_start, from_tier, to_tier
)

select
    grid.month_start,
    grid.from_tier,
    grid.to_tier,
    cast(grid.from_tier_rank as integer) as from_tier_rank,
    cast(grid.to_tier_rank as integer) as to_tier_rank,
    cast(coalesce(counted.customers, 0) as bigint) as customers,
    {{ to_money('coalesce(counted.financial_aum, 0)') }} as financial_aum,
    case
        when grid.from_tier = 'new' then 'new'
        when grid.to_tier_rank > grid.from_tier_rank then 'up'
        when grid.to_tier_rank < grid.from_tier_rank then 'down'
        else 'same'
    end as migration_direction
from grid
left join counted
    on grid.month_start = counted.month_start
    and grid.from_tier = counted.from_tier
    and grid.to_tier = counted.to_tier
