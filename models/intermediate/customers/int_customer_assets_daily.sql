-- depends_on: {{ ref('int_restatement_plan') }}
-- depends_on: {{ ref('int_valuation_window') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_restated_rows('as_of_date') }}"
    )
}}
-- Grain: customer_id, as_of_date. Unrounded (DECIMAL(38, 10), exact sums): the figures that
-- fct_customer_assets_daily publishes rounded to 4 decimals, and from which the monthly fact sums
-- its flows and averages, so every published figure is rounded once.
-- Each customer's asset size (客户资产规模) per calendar day in
-- the reporting currency, ownership shares applied, and the day's change in financial_aum split
-- exactly into market_effect + net_flow + valuation_effect (docs/marts.md#the-flow-split). One row for every
-- day on which the customer holds anything and for the day after each such day (an exit shows as
-- a row with financial_aum 0 and the outflow). A day without a row counts as 0 in every average.
-- Incremental: a run restates every date from int_restatement_plan.restate_from on, reading the
-- holding-days from the day before it (flows compare with the previous day).
-- (the flow split is the logic of the view int_customer_holdings_daily, through the shared macro)
{%- set from_date = restate_from() if is_incremental() else none %}
-- Two aggregations of the holding-days by customer and day, each narrow enough to stay in
-- memory at tens of millions of rows: the values (a plain scan, no window) and the flow split
-- (the window over each holding's days, financial_aum holdings only).
with holding_flows as (
    {{ customer_holding_contributions(from_date=from_date, financial_only=true) }}
),

flows as (
    select
        customer_key,
        as_of_date,
        {{ exact_sum('market_effect') }} as market_effect,
        {{ exact_sum('net_flow') }} as net_flow,
        {{ exact_sum('valuation_effect') }} as valuation_effect,
        {{ exact_sum('exit_outflow_next_day') }} as exit_outflow_next_day
    from holding_flows
    group by customer_key, as_of_date
),

owned_holdings as (
    select
        owners.customer_key,
        valuations.valuation_date as as_of_date,
        valuations.asset_class,
        rules.liquidity_bucket,
        valuations.include_in_financial_aum,
        valuations.is_foreign_currency,
        valuations.is_valued,
        valuations.is_price_stale,
        {{ holding_value_reporting('valuations') }} * owners.ownership_share as owned_value
    from {{ ref('fct_holding_valuations_daily') }} as valuations
    inner join {{ ref('int_holding_owners') }} as owners
        on valuations.account_id = owners.account_id
    left join {{ ref('asset_class_rules') }} as rules
        on valuations.asset_class = rules.asset_class
    {%- if from_date is not none %}
    -- from the day before the first restated day: its day-after row lands on that day
    where valuations.valuation_date >= cast({{ dbt.dateadd('day', -1, from_date) }} as date)
    {%- endif %}
),

values_by_day as (
    select
        customer_key,
        as_of_date,
        {{ exact_sum("case when include_in_financial_aum and is_valued then owned_value else 0 end") }} as financial_aum,
        {{ exact_sum("case when is_valued then owned_value else 0 end") }} as total_assets,
        {%- for asset_class in asset_classes() %}
        {{ exact_sum("case when is_valued and asset_class = '" ~ asset_class ~ "' then owned_value else 0 end") }}
            as {{ asset_class }}_aum,
        {%- endfor %}
        {{ exact_sum("case when is_valued and liquidity_bucket in ('instant', 'short') then owned_value else 0 end") }}
            as liquid_assets,
        {{ exact_sum("case when is_valued and is_foreign_currency then owned_value else 0 end") }} as foreign_currency_assets,
        count(*) as holdings_count,
        sum(case when is_price_stale then 1 else 0 end) as stale_holdings_count,
        sum(case when is_valued then 0 else 1 end) as unvalued_holdings_count
    from owned_holdings
    group by customer_key, as_of_date
),

-- every flow row has a value row (a financial_aum holding is a holding)
positions as (
    select
        values_by_day.*,
        flows.market_effect,
        flows.net_flow,
        flows.valuation_effect,
        flows.exit_outflow_next_day
    from values_by_day
    left join flows
        on values_by_day.customer_key = flows.customer_key
        and values_by_day.as_of_date = flows.as_of_date
),

-- every day with holdings has a row the day after, carrying the outflow of what left
day_after as (
    select
        customer_key,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as date) as as_of_date,
        exit_outflow_next_day as exit_outflow
    from positions
),

by_customer_key as (
    select
        coalesce(positions.customer_key, day_after.customer_key) as customer_key,
        coalesce(positions.as_of_date, day_after.as_of_date) as as_of_date,
        positions.financial_aum,
        positions.total_assets,
        {%- for asset_class in asset_classes() %}
        positions.{{ asset_class }}_aum,
        {%- endfor %}
        positions.liquid_assets,
        positions.foreign_currency_assets,
        positions.market_effect,
        coalesce(positions.net_flow, 0) + coalesce(day_after.exit_outflow, 0) as net_flow,
        positions.valuation_effect,
        positions.holdings_count,
        positions.stale_holdings_count,
        positions.unvalued_holdings_count
    from positions
    full outer join day_after
        on positions.customer_key = day_after.customer_key
        and positions.as_of_date = day_after.as_of_date
),

customer_keys as (
    select distinct customer_key, customer_id
    from {{ ref('int_holding_owners') }}
),

combined as (
    select
        customer_keys.customer_id,
        by_customer_key.*
    from by_customer_key
    inner join customer_keys
        on by_customer_key.customer_key = customer_keys.customer_key
),

window_bounds as (
    select window_end_date from {{ ref('int_valuation_window') }}
)

select
    customer_id,
    as_of_date,
    coalesce(financial_aum, 0) as financial_aum,
    coalesce(total_assets, 0) as total_assets,
    {%- for asset_class in asset_classes() %}
    coalesce({{ asset_class }}_aum, 0) as {{ asset_class }}_aum,
    {%- endfor %}
    coalesce(liquid_assets, 0) as liquid_assets,
    coalesce(foreign_currency_assets, 0) as foreign_currency_assets,
    coalesce(market_effect, 0) as market_effect,
    net_flow,
    coalesce(valuation_effect, 0) as valuation_effect,
    cast(coalesce(holdings_count, 0) as integer) as holdings_count,
    cast(coalesce(stale_holdings_count, 0) as integer) as stale_holdings_count,
    cast(coalesce(unvalued_holdings_count, 0) as integer) as unvalued_holdings_count,
    coalesce(holdings_count, 0) > 0 as has_holdings
from combined
where as_of_date <= (select window_bounds.window_end_date from window_bounds)
{%- if is_incremental() %}
    and as_of_date >= {{ restate_from() }}
{%- endif %}
