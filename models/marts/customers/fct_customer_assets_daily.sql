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
-- Grain: customer_id, as_of_date. Each customer's asset size (客户资产规模) per calendar day in
-- the reporting currency, ownership shares applied, and the day's change in financial_aum split
-- into market_effect + net_flow + valuation_effect (docs/marts.md#the-flow-split). One row for
-- every day on which the customer holds anything and for the day after each such day (an exit
-- shows as a row with financial_aum 0 and the outflow). A day without a row counts as 0 in every
-- average.
-- The figures of int_customer_assets_daily (exact, unrounded), rounded once to 4 decimals here.
-- Incremental: a run restates every date from int_restatement_plan.restate_from on.
select
    customer_id,
    as_of_date,
    {{ to_money('financial_aum') }} as financial_aum,
    {{ to_money('total_assets') }} as total_assets,
    {%- for asset_class in asset_classes() %}
    {{ to_money(asset_class ~ '_aum') }} as {{ asset_class }}_aum,
    {%- endfor %}
    {{ to_money('liquid_assets') }} as liquid_assets,
    {{ to_money('foreign_currency_assets') }} as foreign_currency_assets,
    {{ to_money('market_effect') }} as market_effect,
    {{ to_money('net_flow') }} as net_flow,
    {{ to_money('valuation_effect') }} as valuation_effect,
    holdings_count,
    stale_holdings_count,
    unvalued_holdings_count,
    has_holdings
from {{ ref('int_customer_assets_daily') }}
{%- if is_incremental() %}
where as_of_date >= {{ restate_from() }}
{%- endif %}
