{{ config(materialized='view') }}
-- Grain: as_of_date, customer_id, account_id, instrument_id. Each customer's share of each
-- holding-day (ownership_share applied), with the day's contribution to the flow split of SPEC
-- section 4 for holdings counted in financial_aum: q = owned quantity, u = reporting value / q,
-- held = in the carried book with non-zero quantity.
--   held and valued on d-1 and d: market_effect = q(d-1) x (u(d) - u(d-1)), net_flow = (q(d) - q(d-1)) x u(d)
--   valued on d only: net_flow = value(d) when not held on d-1, else valuation_effect = value(d)
--   valued on d-1 only and still held on d: valuation_effect = -value(d-1)
-- The exit case (valued on d-1, no longer held on d) lands on d+1, which has no row here:
-- exit_outflow carries -value(d) for the next day; fct_customer_assets_daily books it on d+1.
-- On the first day of the window all three are 0 (the opening book is not a flow).
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
