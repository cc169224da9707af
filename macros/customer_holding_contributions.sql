{#- The body of int_customer_holdings_daily, shared with the incremental fct_customer_assets_daily,
    which passes from_date (the first restated day) so only the days it needs are read. -#}
{% macro customer_holding_contributions(from_date=none) %}
with owned as (
    select
        valuations.valuation_date as as_of_date,
        owners.customer_id,
        valuations.account_id,
        valuations.instrument_id,
        valuations.asset_class,
        valuations.include_in_financial_aum,
        valuations.is_foreign_currency,
        valuations.is_valued,
        valuations.is_price_stale,
        rules.liquidity_bucket,
        valuations.quantity * owners.ownership_share as owned_quantity,
        cast(valuations.market_value_reporting as {{ type_double() }}) * owners.ownership_share as owned_value
    from {{ ref('fct_holding_valuations_daily') }} as valuations
    inner join {{ ref('int_holding_owners') }} as owners
        on valuations.account_id = owners.account_id
    left join {{ ref('asset_class_rules') }} as rules
        on valuations.asset_class = rules.asset_class
    {% if from_date is not none %}
    -- the day before the first restated day is read too: flows compare each day with the last
    where valuations.valuation_date >= cast({{ dbt.dateadd('day', -1, from_date) }} as date)
    {% endif %}
),

sequenced as (
    select
        owned.*,
        lag(as_of_date) over holding_days as previous_date,
        lag(owned_quantity) over holding_days as previous_quantity,
        lag(owned_value) over holding_days as previous_value,
        lag(is_valued) over holding_days as was_valued,
        lead(as_of_date) over holding_days as next_date
    from owned
    window holding_days as (partition by customer_id, account_id, instrument_id order by as_of_date)
),

flagged as (
    select
        sequenced.*,
        coalesce(previous_date = cast({{ dbt.dateadd('day', -1, 'as_of_date') }} as date), false) as was_held,
        coalesce(next_date = cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as date), false) as is_held_next_day,
        calendar.is_window_start,
        calendar.is_window_end
    from sequenced
    inner join {{ ref('int_calendar_days') }} as calendar
        on sequenced.as_of_date = calendar.date_day
)

select
    as_of_date,
    customer_id,
    account_id,
    instrument_id,
    asset_class,
    liquidity_bucket,
    include_in_financial_aum,
    is_foreign_currency,
    is_valued,
    is_price_stale,
    owned_quantity,
    owned_value,
    case
        when is_window_start or not include_in_financial_aum then 0
        when is_valued and was_held and was_valued
            then previous_quantity * (owned_value / owned_quantity) - previous_value
        else 0
    end as market_effect,
    case
        when is_window_start or not include_in_financial_aum then 0
        when is_valued and was_held and was_valued
            then owned_value - previous_quantity * (owned_value / owned_quantity)
        when is_valued and not was_held then owned_value
        else 0
    end as net_flow,
    case
        when is_window_start or not include_in_financial_aum then 0
        when is_valued and was_held and not was_valued then owned_value
        when not is_valued and was_held and was_valued then -previous_value
        else 0
    end as valuation_effect,
    case
        when include_in_financial_aum and is_valued and not is_held_next_day and not is_window_end
            then -owned_value
        else 0
    end as exit_outflow_next_day
from flagged
{% endmacro %}
