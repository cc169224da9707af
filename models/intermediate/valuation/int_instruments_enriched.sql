-- Grain: instrument_id. Instruments with their asset-class rules applied: the effective
-- valuation method (own, else the class default), financial-AUM inclusion, price staleness
-- limit and liquidity bucket, and the first reason (if any) why no holding of the instrument
-- can be valued whatever the day (unknown class / method / currency, missing terms), and the
-- class's daily price-move limit (seed plausibility_rules).
{% set reporting = var('reporting_currency') | upper %}
with instruments as (
    select * from {{ ref('stg_raw__instruments') }}
    where instrument_id is not null
),

rules as (
    select * from {{ ref('asset_class_rules') }}
),

known_currencies as (
    {{ currencies_with_fx_rates() }}
    union
    select {{ sql_literal(reporting) }}
),

joined as (
    select
        instruments.*,
        rules.asset_class is not null as is_known_asset_class,
        coalesce(instruments.valuation_method, rules.default_valuation_method) as effective_valuation_method,
        coalesce(rules.include_in_financial_aum, false) as include_in_financial_aum,
        rules.max_price_age_days,
        rules.liquidity_bucket,
        coalesce(rules.allows_negative_quantity, false) as allows_negative_quantity,
        known_currencies.currency is not null as is_known_currency,
        plausibility.max_daily_price_move,
        plausibility.price_move_policy
    from instruments
    left join rules on instruments.asset_class = rules.asset_class
    left join {{ ref('plausibility_rules') }} as plausibility
        on instruments.asset_class = plausibility.asset_class
    left join known_currencies on instruments.currency = known_currencies.currency
)

select
    instrument_id,
    instrument_name,
    asset_class,
    currency,
    risk_level,
    effective_valuation_method as valuation_method,
    day_count,
    case
        when effective_valuation_method = 'accrual'
            then coalesce(day_count, {{ sql_literal(var('default_accrual_day_count')) }})
        else day_count
    end as effective_day_count,
    rate,
    coupon_frequency,
    start_date,
    maturity_date,
    annual_premium,
    premium_years,
    include_in_financial_aum,
    max_price_age_days,
    liquidity_bucket,
    allows_negative_quantity,
    max_daily_price_move,
    price_move_policy,
    currency <> {{ sql_literal(reporting) }} as is_foreign_currency,
    effective_valuation_method in ('price', 'bond', 'appraisal') as uses_price,
    case
        when row_issue is not null then row_issue
        when asset_class is null or not is_known_asset_class then 'unknown_asset_class'
        when effective_valuation_method is null
            or effective_valuation_method not in ('face', 'accrual', 'price', 'bond', 'insurance', 'appraisal')
            then 'unknown_valuation_method'
        when currency is null or not is_known_currency then 'unknown_currency'
    end as instrument_exception_reason
from joined
