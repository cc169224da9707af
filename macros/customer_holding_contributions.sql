{#- The body of int_customer_holdings_daily, shared with the incremental fct_customer_assets_daily,
    which passes from_date (the first restated day) so only the days it needs are read, and
    financial_only=true: it takes only the flow split from here, and every flow term of a
    holding outside financial_aum is 0 (an instrument is in or out for all its days).
    The flow split is computed per holding (account x instrument) and then multiplied by each
    owner's share: every term is linear in quantity and value, so share x holding-level flow is
    the owner's flow, and the window functions sort 2-column partitions before the owner fan-out. -#}
{% macro customer_holding_contributions(from_date=none, financial_only=false) %}
with holdings as (
    select
        valuation_date as as_of_date,
        account_id,
        instrument_id,
        asset_class,
        include_in_financial_aum,
        is_foreign_currency,
        is_valued,
        is_price_stale,
        quantity,
        {{ holding_value_reporting('valuations') }} as holding_value
    from {{ ref('fct_holding_valuations_daily') }} as valuations
    where 1 = 1
    {%- if from_date is not none %}
        -- the day before the first restated day is read too: flows compare each day with the last
        and valuation_date >= cast({{ dbt.dateadd('day', -1, from_date) }} as date)
    {%- endif %}
    {%- if financial_only %}
        and include_in_financial_aum
    {%- endif %}
),

window_bounds as (
    select window_start_date, window_end_date from {{ ref('int_valuation_window') }}
),

sequenced as (
    select
        holdings.*,
        lag(as_of_date) over holding_days as previous_date,
        lag(quantity) over holding_days as previous_quantity,
        lag(holding_value) over holding_days as previous_value,
        lag(is_valued) over holding_days as was_valued,
        lead(as_of_date) over holding_days as next_date
    from holdings
    window holding_days as (partition by account_id, instrument_id order by as_of_date)
),

flagged as (
    select
        sequenced.*,
        coalesce(previous_date = cast({{ dbt.dateadd('day', -1, 'as_of_date') }} as date), false) as was_held,
        coalesce(next_date = cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as date), false) as is_held_next_day,
        as_of_date = window_bounds.window_start_date as is_window_start,
        as_of_date = window_bounds.window_end_date as is_window_end
    from sequenced
    cross join window_bounds
),

contributions as (
    select
        flagged.*,
        case
            when is_window_start or not include_in_financial_aum then 0
            when is_valued and was_held and was_valued
                then previous_quantity * (holding_value / quantity) - previous_value
            else 0
        end as market_effect,
        case
            when is_window_start or not include_in_financial_aum then 0
            when is_valued and was_held and was_valued
                then holding_value - previous_quantity * (holding_value / quantity)
            when is_valued and not was_held then holding_value
            else 0
        end as net_flow,
        case
            when is_window_start or not include_in_financial_aum then 0
            when is_valued and was_held and not was_valued then holding_value
            when not is_valued and was_held and was_valued then -previous_value
            else 0
        end as valuation_effect,
        case
            when include_in_financial_aum and is_valued and not is_held_next_day and not is_window_end
                then -holding_value
            else 0
        end as exit_outflow_next_day
    from flagged
)

select
    contributions.as_of_date,
    owners.customer_id,
    owners.customer_key,
    contributions.account_id,
    contributions.instrument_id,
    contributions.asset_class,
    rules.liquidity_bucket,
    contributions.include_in_financial_aum,
    contributions.is_foreign_currency,
    contributions.is_valued,
    contributions.is_price_stale,
    contributions.quantity * owners.ownership_share as owned_quantity,
    contributions.holding_value * owners.ownership_share as owned_value,
    contributions.market_effect * owners.ownership_share as market_effect,
    contributions.net_flow * owners.ownership_share as net_flow,
    contributions.valuation_effect * owners.ownership_share as valuation_effect,
    contributions.exit_outflow_next_day * owners.ownership_share as exit_outflow_next_day
from contributions
inner join {{ ref('int_holding_owners') }} as owners
    on contributions.account_id = owners.account_id
left join {{ ref('asset_class_rules') }} as rules
    on contributions.asset_class = rules.asset_class
{% endmacro %}
