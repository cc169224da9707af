-- Every customer and complete month from the customer's first evaluated month has exactly one
-- tier assignment (docs/tiers.md#which-months-are-evaluated), and no assignment exists outside
-- those months.
with expected as (
    select customer_id, month_start from {{ ref('int_customer_tier_inputs') }}
),

assigned as (
    select customer_id, month_start, count(*) as assignments
    from {{ ref('fct_customer_tiers_monthly') }}
    group by customer_id, month_start
)

select
    coalesce(expected.customer_id, assigned.customer_id) as customer_id,
    coalesce(expected.month_start, assigned.month_start) as month_start,
    coalesce(assigned.assignments, 0) as assignments
from expected
full outer join assigned
    on expected.customer_id = assigned.customer_id
    and expected.month_start = assigned.month_start
where expected.customer_id is null or coalesce(assigned.assignments, 0) <> 1
