-- Grain: tier_code. The tier ladder (客户分层) from the seed aum_tiers, with the exclusive upper
-- bound of each tier for BI bucketing. Change the ladder by editing the seed only.
with tiers as (
    select * from {{ ref('aum_tiers') }}
)

select
    tier_code,
    tier_name_en,
    tier_name_zh,
    cast(min_aum as {{ type_money() }}) as min_aum,
    cast(lead(min_aum) over (order by tier_rank) as {{ type_money() }}) as max_aum_exclusive,
    cast(tier_rank as integer) as tier_rank,
    cast(downgrade_grace_months as integer) as downgrade_grace_months
from tiers
