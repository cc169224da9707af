-- Grain: instrument_id, date_day (every instrument on every day of the window).
-- The per-unit value of each instrument in its own currency on each day, by valuation method
-- (docs/valuation.md#methods-at-a-glance), with everything an auditor needs: the as-of price and its age, accrued
-- interest per unit, the FX rate to the reporting currency and its path and date. Holdings are
-- valued by joining to this table (quantity x unit value), so each rule is computed once per
-- instrument and day, not once per holding.
-- unit_value is null when the instrument needs a price and has none yet (holdings then fall back
-- to cost) or when instrument_exception_reason says it cannot be valued that day.
-- Price-move rule (seed plausibility_rules, docs/data-quality.md#plausibility-rules): the as-of
-- price is implausible when it differs from the instrument's previous price by more than
-- max_daily_price_move in either direction (the larger of new/old and old/new above
-- 1 + max_daily_price_move), unless it is the return from such a move: the previous price was
-- itself such a move and this one is within the limit of the price before it. So a one-day typo
-- (12.50 delivered as 1250) trips once, on the wrong price, not again on the correction.
with instruments as (
    select * from {{ ref('int_instruments_enriched') }}
),

instrument_days as (
    select instruments.*, calendar.date_day
    from instruments
    cross join {{ ref('int_calendar_days') }} as calendar
),

valued as (
    select
        instrument_days.instrument_id,
        instrument_days.date_day,
        instrument_days.asset_class,
        instrument_days.valuation_method,
        instrument_days.currency,
        instrument_days.include_in_financial_aum,
        instrument_days.liquidity_bucket,
        instrument_days.is_foreign_currency,
        instrument_days.allows_negative_quantity,
        instrument_days.uses_price,
        case when instrument_days.uses_price then prices.price end as price,
        case when instrument_days.uses_price then prices.price_date end as price_date,
        case when instrument_days.uses_price then prices.price_age_days end as price_age_days,
        case when instrument_days.uses_price then prices.previous_price end as previous_price,
        case
            when instrument_days.uses_price
                and {{ price_move_ratio('prices.price', 'prices.previous_price') }}
                > 1 + instrument_days.max_daily_price_move
                and not coalesce(
                    {{ price_move_ratio('prices.previous_price', 'prices.price_before_previous') }}
                    > 1 + instrument_days.max_daily_price_move
                    and {{ price_move_ratio('prices.price', 'prices.price_before_previous') }}
                    <= 1 + instrument_days.max_daily_price_move,
                    false
                )
                then instrument_days.price_move_policy
        end as price_move_policy,
        coalesce(
            instrument_days.uses_price and prices.price_age_days > instrument_days.max_price_age_days,
            false
        ) as is_price_stale,
        schedules.accrued_interest_per_100,
        case instrument_days.valuation_method
            when 'face' then cast(1 as {{ type_double() }})
            when 'accrual' then 1 + schedules.accrual_fraction
            when 'price' then prices.price
            when 'appraisal' then prices.price
            when 'bond' then (prices.price + schedules.accrued_interest_per_100) / 100
            when 'insurance' then schedules.insurance_unit_value
        end as unit_value,
        case instrument_days.valuation_method
            when 'accrual' then schedules.accrual_fraction
            when 'bond' then schedules.accrued_interest_per_100 / 100
            else cast(0 as {{ type_double() }})
        end as accrued_interest_per_unit,
        coalesce(
            instrument_days.instrument_exception_reason,
            schedules.schedule_exception_reason
        ) as instrument_exception_reason,
        fx.fx_rate,
        fx.fx_rate_date,
        fx.fx_path,
        fx.fx_age_days,
        case when fx.currency is null then 'missing_fx_rate' else fx.fx_exception_reason end
            as fx_exception_reason
    from instrument_days
    left join {{ ref('int_prices_asof_daily') }} as prices
        on instrument_days.instrument_id = prices.instrument_id
        and instrument_days.date_day = prices.date_day
    left join {{ ref('int_instrument_schedules_daily') }} as schedules
        on instrument_days.instrument_id = schedules.instrument_id
        and instrument_days.date_day = schedules.date_day
    left join {{ ref('int_fx_rates_daily') }} as fx
        on instrument_days.currency = fx.currency
        and instrument_days.date_day = fx.date_day
)

select
    instrument_id,
    date_day,
    asset_class,
    valuation_method,
    currency,
    include_in_financial_aum,
    liquidity_bucket,
    is_foreign_currency,
    allows_negative_quantity,
    uses_price,
    price,
    price_date,
    price_age_days,
    previous_price,
    price_move_policy,
    is_price_stale,
    accrued_interest_per_100,
    case when instrument_exception_reason is null then unit_value end as unit_value,
    accrued_interest_per_unit,
    instrument_exception_reason,
    fx_rate,
    fx_rate_date,
    fx_path,
    fx_age_days,
    fx_exception_reason
from valued
