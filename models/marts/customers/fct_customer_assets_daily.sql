-- depends_on: {{ ref('int_restatement_plan') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_restated_rows('as_of_date') }}"
    )
}}
-- Grain: customer_id, as_of_date. Each customer's asset size (客户资产规模) per calendar day in
-- the reporting currency, ownership shares applied, and the day's change in financial_aum split
-- exactly into market_effect + net_flow + valuation_effect (SPEC section 4). One row for every
-- day on which the customer holds anything and for the day after each such day (an exit shows as
-- a row with financial_aum 0 and the outflow). A day without a row counts as 0 in every average.
-- Incremental: a run restates every date from int_restatement_plan.restate_from on, reading the
-- holding-days from the day before it (flows compare with the previous day).
-- (the same logic as the view int_customer_holdings_daily, through the shared macro)
with holding_contributions as (
    {{ customer_holding_contributions(from_date=restate_from() if is_incremental() else none) }}
),

-- a position gone the next day also gives a marker row on that day carrying its exit outflow,
-- so the customer has a row there even when nothing else is held (day_offset 1)
day_offsets as (
    select 0 as day_offset
    union all
    select 1 as day_offset
),

holding_rows as (
    select
        holding_contributions.customer_id,
        case
            when day_offsets.day_offset = 0 then holding_contributions.as_of_date
            else cast({{ dbt.dateadd('day', 1, 'holding_contributions.as_of_date') }} as date)
        end as as_of_date,
        holding_contributions.asset_class,
        holding_contributions.liquidity_bucket,
        holding_contributions.include_in_financial_aum,
        holding_contributions.is_foreign_currency,
        holding_contributions.is_valued and day_offsets.day_offset = 0 as is_valued,
        holding_contributions.is_price_stale and day_offsets.day_offset = 0 as is_price_stale,
        holding_contributions.owned_value,
        case when day_offsets.day_offset = 0 then holding_contributions.market_effect else 0 end as market_effect,
        case
            when day_offsets.day_offset = 0 then holding_contributions.net_flow
            else holding_contributions.exit_outflow_next_day
        end as net_flow,
        case when day_offsets.day_offset = 0 then holding_contributions.valuation_effect else 0 end as valuation_effect,
        1 - day_offsets.day_offset as is_holding
    from holding_contributions
    inner join day_offsets
        on day_offsets.day_offset = 0 or holding_contributions.is_exit_next_day
),

-- one pass over the holding-days: everything below works on customer-days
combined as (
    select
        customer_id,
        as_of_date,
        sum(case when include_in_financial_aum and is_valued then owned_value else 0 end) as financial_aum,
        sum(case when is_valued then owned_value else 0 end) as total_assets,
        {%- for asset_class in asset_classes() %}
        sum(case when is_valued and asset_class = '{{ asset_class }}' then owned_value else 0 end)
            as {{ asset_class }}_aum,
        {%- endfor %}
        sum(case when is_valued and liquidity_bucket in ('instant', 'short') then owned_value else 0 end)
            as liquid_assets,
        sum(case when is_valued and is_foreign_currency then owned_value else 0 end) as foreign_currency_assets,
        sum(market_effect) as market_effect,
        sum(net_flow) as net_flow,
        sum(valuation_effect) as valuation_effect,
        sum(is_holding) as holdings_count,
        sum(case when is_price_stale then 1 else 0 end) as stale_holdings_count,
        sum(case when is_valued then 0 else is_holding end) as unvalued_holdings_count
    from holding_rows
    group by customer_id, as_of_date
),

window_bounds as (
    select window_end_date from {{ ref('int_valuation_window') }}
)

select
    customer_id,
    as_of_date,
    {{ to_money('coalesce(financial_aum, 0)') }} as financial_aum,
    {{ to_money('coalesce(total_assets, 0)') }} as total_assets,
    {%- for asset_class in asset_classes() %}
    {{ to_money('coalesce(' ~ asset_class ~ '_aum, 0)') }} as {{ asset_class }}_aum,
    {%- endfor %}
    {{ to_money('coalesce(liquid_assets, 0)') }} as liquid_assets,
    {{ to_money('coalesce(foreign_currency_assets, 0)') }} as foreign_currency_assets,
    {{ to_money('coalesce(market_effect, 0)') }} as market_effect,
    {{ to_money('net_flow') }} as net_flow,
    {{ to_money('coalesce(valuation_effect, 0)') }} as valuation_effect,
    cast(coalesce(holdings_count, 0) as integer) as holdings_count,
    cast(coalesce(stale_holdings_count, 0) as integer) as stale_holdings_count,
    cast(coalesce(unvalued_holdings_count, 0) as integer) as unvalued_holdings_count,
    coalesce(holdings_count, 0) > 0 as has_holdings
from combined
where as_of_date <= (select window_bounds.window_end_date from window_bounds)
{%- if is_incremental() %}
    and as_of_date >= {{ restate_from() }}
{%- endif %}
