-- Grain: customer_id, month_start (complete months only, from the customer's first evaluated
-- month). The basis of each monthly tier evaluation (docs/tiers.md#which-months-are-evaluated):
-- a customer is evaluated from the first complete month in which they hold anything on at least
-- one day, and every complete month after it. tier_basis_aum is avg_daily_aum_month (月日均,
-- var tier_basis = month_avg) or month_end_aum (month_end).
{% set basis = var('tier_basis') %}
{% if basis not in ['month_avg', 'month_end'] %}
    {{ exceptions.raise_compiler_error("var tier_basis must be month_avg or month_end, got '" ~ basis ~ "'") }}
{%- endif %}
with monthly as (
    select * from {{ ref('fct_customer_assets_monthly') }}
    where is_complete_month
),

first_evaluated as (
    select customer_id, min(month_start) as first_evaluated_month
    from monthly
    where has_holdings
    group by customer_id
)

select
    monthly.customer_id,
    monthly.month_start,
    cast({{ 'monthly.avg_daily_aum_month' if basis == 'month_avg' else 'monthly.month_end_aum' }}
        as {{ type_double() }}) as tier_basis_aum
from monthly
inner join first_evaluated
    on monthly.customer_id = first_evaluated.customer_id
    and monthly.month_start >= first_evaluated.first_evaluated_month
