-- Grain: household_id, month_start. Household (家庭) roll-up of fct_customer_assets_monthly for
-- customers with a household_id: sums of the members' figures (a joint account shared by two
-- members is counted once in total, through each member's ownership share).
with members as (
    select customer_id, household_id
    from {{ ref('stg_raw__customers') }}
    where household_id is not null and customer_id is not null
)

select
    members.household_id,
    monthly.month_start,
    cast(count(*) as integer) as members_with_assets,
    {{ to_money('sum(monthly.month_end_aum)') }} as month_end_aum,
    {{ to_money('sum(monthly.month_end_total_assets)') }} as month_end_total_assets,
    {{ to_money('sum(monthly.avg_daily_aum_month)') }} as avg_daily_aum_month,
    {{ to_money('sum(monthly.avg_daily_aum_qtd)') }} as avg_daily_aum_qtd,
    {{ to_money('sum(monthly.avg_daily_aum_ytd)') }} as avg_daily_aum_ytd,
    {{ to_money('sum(monthly.net_flow)') }} as net_flow,
    {{ to_money('sum(monthly.market_effect)') }} as market_effect,
    {{ to_money('sum(monthly.valuation_effect)') }} as valuation_effect,
    bool_and(monthly.is_complete_month) as is_complete_month
from {{ ref('fct_customer_assets_monthly') }} as monthly
inner join members on monthly.customer_id = members.customer_id
group by members.household_id, monthly.month_start
