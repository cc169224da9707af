-- dim_customer_tier_history: every evaluated customer has exactly one current spell.
with evaluated as (
    select distinct customer_id from {{ ref('fct_customer_tiers_monthly') }}
),

current_spells as (
    select customer_id, count(*) as current_spells
    from {{ ref('dim_customer_tier_history') }}
    where is_current
    group by customer_id
)

select
    coalesce(evaluated.customer_id, current_spells.customer_id) as customer_id,
    coalesce(current_spells.current_spells, 0) as current_spells
from evaluated
full outer join current_spells on evaluated.customer_id = current_spells.customer_id
where coalesce(current_spells.current_spells, 0) <> 1 or evaluated.customer_id is null
