-- depends_on: {{ ref('int_restatement_plan') }}
-- depends_on: {{ ref('int_valuation_window') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_restated_rows('valuation_date') }}"
    )
}}
-- Grain: valuation_date, account_id, instrument_id, exception_reason. Every holding-day that is
-- unvalued (severity error: not counted in any AUM figure) or valued with a caveat (severity
-- warn: stale price, cost fallback). A stale price on a row that is unvalued for another reason
-- is listed under both reasons.
with valuations as (
    select * from {{ ref('fct_holding_valuations_daily') }}
    where (exception_reason is not null or is_price_stale)
    {% if is_incremental() %}
        and valuation_date >= {{ restate_from() }}
    {% endif %}
),

listed as (
    select valuations.*, valuations.exception_reason as listed_reason
    from valuations
    where exception_reason is not null
    union all
    select valuations.*, 'stale_price' as listed_reason
    from valuations
    where is_price_stale and exception_reason <> 'stale_price'
)

select
    listed.valuation_date,
    listed.account_id,
    listed.instrument_id,
    listed.listed_reason as exception_reason,
    coalesce(reasons.severity, 'error') as severity,
    listed.asset_class,
    listed.valuation_method,
    listed.currency,
    reasons.description_en as exception_description,
    listed.quantity,
    listed.cost_amount,
    listed.price,
    listed.price_age_days,
    listed.market_value,
    listed.fx_rate,
    listed.market_value_reporting,
    listed.is_valued,
    listed.price_date,
    listed.fx_rate_date,
    listed.previous_quantity,
    listed.previous_price
from listed
left join {{ ref('valuation_exception_reasons') }} as reasons
    on listed.listed_reason = reasons.exception_reason
