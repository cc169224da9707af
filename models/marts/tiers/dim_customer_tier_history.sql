-- Grain: customer_id, valid_from. Tier spells (SCD type 2) derived from the monthly
-- assignments: a spell starts on the first day of the month a new assigned tier takes effect
-- and ends (valid_to, exclusive) where the next spell starts; the current spell has valid_to null.
with assignments as (
    select customer_id, month_start, effective_month_start, assigned_tier
    from {{ ref('fct_customer_tiers_monthly') }}
),

marked as (
    select
        assignments.*,
        case
            when lag(assigned_tier) over (partition by customer_id order by month_start) = assigned_tier
                then 0
            else 1
        end as starts_spell
    from assignments
),

numbered as (
    select
        marked.*,
        sum(starts_spell) over (
            partition by customer_id order by month_start rows between unbounded preceding and current row
        ) as spell_number
    from marked
),

spells as (
    select
        customer_id,
        spell_number,
        min(assigned_tier) as tier_code,
        min(effective_month_start) as valid_from,
        min(month_start) as first_evaluation_month,
        max(month_start) as last_evaluation_month,
        count(*) as months_in_spell
    from numbered
    group by customer_id, spell_number
)

select
    customer_id,
    valid_from,
    lead(valid_from) over (partition by customer_id order by valid_from) as valid_to,
    tier_code,
    first_evaluation_month,
    last_evaluation_month,
    cast(months_in_spell as integer) as months_in_spell,
    lead(valid_from) over (partition by customer_id order by valid_from) is null as is_current
from spells
