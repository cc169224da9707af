-- int_customer_tier_inputs holds, for every customer who held anything in a complete month,
-- every complete month of the window from the first such month on (empty months included).
with complete_months as (
    select month_start
    from {{ ref('int_calendar_months') }}
    where is_complete_month
),

first_evaluated as (
    select customer_id, min(month_start) as first_month
    from {{ ref('fct_customer_assets_monthly') }}
    where is_complete_month and has_holdings
    group by customer_id
),

expected as (
    select first_evaluated.customer_id, complete_months.month_start
    from first_evaluated
    inner join complete_months on first_evaluated.first_month <= complete_months.month_start
)

select expected.*
from expected
left join {{ ref('int_customer_tier_inputs') }} as inputs
    on expected.customer_id = inputs.customer_id
    and expected.month_start = inputs.month_start
where inputs.customer_id is null
