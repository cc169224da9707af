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
-- Grain: valuation_date, account_id, instrument_id. Every position of the carried book on every
-- day of the valuation window, valued (docs/valuation.md) or kept unvalued with a reason.
-- market_value is in the instrument currency, market_value_reporting in var reporting_currency.
-- Nothing is dropped: a row that cannot be valued has is_valued = false and exception_reason set.
-- Incremental: a run restates every date from int_restatement_plan.restate_from on.
with positions as (
    select * from {{ ref('int_positions_carried_forward') }}
    {% if is_incremental() %}
    where date_day >= {{ restate_from() }}
    {% endif %}
),

-- known accounts, and whether each has a usable owner (int_holding_owners): a holding of an
-- account nobody owns would otherwise be valued and then counted for no customer
accounts as (
    select
        known.account_id,
        owned.account_id is not null as has_owner
    from (
        select distinct account_id
        from {{ ref('stg_raw__accounts') }}
        where account_id is not null
    ) as known
    left join (
        select distinct account_id from {{ ref('int_holding_owners') }}
    ) as owned
        on known.account_id = owned.account_id
),

joined as (
    select
        positions.date_day as valuation_date,
        positions.account_id,
        positions.instrument_id,
        positions.snapshot_date,
        positions.quantity,
        jumps.previous_quantity,
        jumps.jump_policy as tripped_jump_policy,
        positions.cost_amount,
        values_daily.asset_class,
        values_daily.valuation_method as instrument_valuation_method,
        values_daily.currency,
        values_daily.include_in_financial_aum,
        values_daily.is_foreign_currency,
        values_daily.uses_price,
        values_daily.price,
        values_daily.price_date,
        values_daily.price_age_days,
        values_daily.previous_price,
        values_daily.price_move_policy,
        values_daily.is_price_stale,
        values_daily.unit_value as instrument_unit_value,
        values_daily.accrued_interest_per_unit,
        values_daily.fx_rate,
        values_daily.fx_rate_date,
        values_daily.fx_path,
        values_daily.fx_exception_reason,
        case
            when values_daily.instrument_id is null then 'unknown_instrument'
            when accounts.account_id is null then 'unknown_account'
            when not accounts.has_owner then 'unowned_account'
            when positions.quantity is null and positions.row_issue = 'quantity_out_of_range'
                then 'quantity_out_of_range'
            when positions.quantity is null then 'unparseable_quantity'
            when positions.quantity < 0 and not values_daily.allows_negative_quantity then 'negative_quantity'
            when values_daily.instrument_exception_reason is not null then values_daily.instrument_exception_reason
            when values_daily.uses_price and values_daily.price is null and positions.cost_amount is null
                then 'missing_price'
        end as holding_exception_reason,
        coalesce(values_daily.uses_price and values_daily.price is null, false) as is_cost_fallback
    from positions
    left join accounts
        on positions.account_id = accounts.account_id
    left join {{ ref('int_instrument_values_daily') }} as values_daily
        on positions.instrument_id = values_daily.instrument_id
        and positions.date_day = values_daily.date_day
    left join {{ ref('int_position_quantity_jumps') }} as jumps
        on positions.snapshot_date = jumps.snapshot_date
        and positions.account_id = jumps.account_id
        and positions.instrument_id = jumps.instrument_id
),

computed as (
    select
        joined.*,
        case
            when holding_exception_reason is not null then null
            when is_cost_fallback then cost_amount
            else quantity * instrument_unit_value
        end as computed_value,
        case
            when holding_exception_reason is not null then null
            when is_cost_fallback then cast(0 as {{ type_double() }})
            else quantity * accrued_interest_per_unit
        end as computed_accrued_interest
    from joined
),

-- a value no position can have (above max_position_value in either currency, or not finite)
-- is a row defect, never a failed cast in a mart: the row is unvalued, value_out_of_range.
-- Plausibility (seed plausibility_rules, docs/data-quality.md#plausibility-rules), each rule
-- with its class's policy (exclude: unvalued, out of AUM; flag: valued, listed for review):
-- a storable value above max_position_value; a quantity more than max_quantity_jump times the
-- position's quantity in the snapshot before (int_position_quantity_jumps); a price that moved more than max_daily_price_move
-- (int_instrument_values_daily). The first rule that excludes decides the reason.
valued as (
    select
        computed.*,
        case
            when computed.computed_value is not null
                and not ({{ within_money_range('computed.computed_value') }}
                    and (computed.fx_exception_reason is not null
                        or {{ within_money_range('computed.computed_value * computed.fx_rate') }}))
                then 'value_out_of_range'
        end as range_exception_reason,
        case
            when computed.fx_exception_reason is null
                and {{ within_money_range('computed.computed_value') }}
                and {{ within_money_range('computed.computed_value * computed.fx_rate') }}
                and abs(computed.computed_value * computed.fx_rate) > rules.max_position_value
                then rules.value_policy
        end as implausible_policy,
        case when computed.computed_value is not null then computed.tripped_jump_policy end
            as jump_policy,
        case when computed.computed_value is not null then computed.price_move_policy end
            as price_policy
    from computed
    left join {{ ref('plausibility_rules') }} as rules
        on computed.asset_class = rules.asset_class
),

converted as (
    select
        valued.*,
        case when range_exception_reason is null then computed_value end as market_value_raw,
        case when range_exception_reason is null then computed_accrued_interest end as accrued_interest_raw,
        case
            when range_exception_reason is null and fx_exception_reason is null
                and 'exclude' not in (
                    coalesce(implausible_policy, ''), coalesce(jump_policy, ''), coalesce(price_policy, '')
                )
                then computed_value * fx_rate
        end as reporting_value,
        coalesce(
            holding_exception_reason,
            range_exception_reason,
            fx_exception_reason,
            case when implausible_policy = 'exclude' then 'implausible_position_value' end,
            case when jump_policy = 'exclude' then 'implausible_quantity_jump' end,
            case when price_policy = 'exclude' then 'implausible_price_move' end
        ) as unvalued_reason
    from valued
)

select
    valuation_date,
    account_id,
    instrument_id,
    snapshot_date,
    asset_class,
    case
        when unvalued_reason is null and is_cost_fallback then 'cost_fallback'
        else instrument_valuation_method
    end as valuation_method,
    currency,
    fx_path,
    quantity,
    {{ to_money('cost_amount') }} as cost_amount,
    price,
    price_age_days,
    case
        when market_value_raw is not null and quantity <> 0 then market_value_raw / quantity
    end as unit_value,
    -- unrounded DOUBLE, not money's DECIMAL(38, 4): accrued_interest / quantity x 100 then gives
    -- back the engine's per-100-face figure to 1e-6 (docs/valuation.md#accrued-interest-column) for any position size
    cast(accrued_interest_raw as {{ type_double() }}) as accrued_interest,
    {{ to_money('market_value_raw') }} as market_value,
    fx_rate,
    {{ to_money('reporting_value') }} as market_value_reporting,
    coalesce(is_price_stale and not is_cost_fallback, false) as is_price_stale,
    reporting_value is not null as is_valued,
    coalesce(include_in_financial_aum, false) as include_in_financial_aum,
    coalesce(is_foreign_currency, false) as is_foreign_currency,
    case
        when unvalued_reason is not null then unvalued_reason
        when implausible_policy = 'flag' then 'implausible_position_value_flagged'
        when jump_policy = 'flag' then 'implausible_quantity_jump_flagged'
        when price_policy = 'flag' then 'implausible_price_move_flagged'
        when is_cost_fallback then 'cost_fallback'
        when is_price_stale then 'stale_price'
    end as exception_reason,
    case
        when unvalued_reason is not null then 'error'
        when is_cost_fallback or is_price_stale
            or 'flag' in (implausible_policy, jump_policy, price_policy) then 'warn'
    end as exception_severity,
    price_date,
    fx_rate_date,
    -- the figures the jump and price-move rules compared with, on the rows they tripped
    case when jump_policy is not null then previous_quantity end as previous_quantity,
    case when price_policy is not null then previous_price end as previous_price
from converted
