-- dim_customer_tier_history: a customer's spells never overlap and leave no gap: each spell's
-- valid_to is the next spell's valid_from, and consecutive spells differ in tier.
with ordered as (
    select
        customer_id,
        valid_from,
        valid_to,
        tier_code,
        lead(valid_from) over (partition by customer_id order by valid_from) as next_valid_from,
        lead(tier_code) over (partition by customer_id order by valid_from) as next_tier_code
    from {{ ref('dim_customer_tier_history') }}
)

select *
from ordered
where (next_valid_from is not null and (valid_to is null or valid_to <> next_valid_from))
    or (next_valid_from is null and valid_to is not null)
    or tier_code = next_tier_code
