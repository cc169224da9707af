-- Grain: instrument_id. Codes normalised (asset_class and valuation_method lower case,
-- currency and day_count upper case); unknown codes are kept and flagged downstream.
with source as (
    select * from {{ source('raw', 'instruments') }}
)

select
    {{ clean_text('instrument_id') }} as instrument_id,
    {{ clean_text('instrument_name') }} as instrument_name,
    {{ clean_code('asset_class') }} as asset_class,
    {{ clean_code('valuation_method') }} as valuation_method,
    {{ clean_code('currency', 'upper') }} as currency,
    {{ clean_code('risk_level', 'upper') }} as risk_level,
    {{ clean_code('day_count', 'upper') }} as day_count,
    {{ safe_cast('rate', type_double()) }} as rate,
    {{ safe_cast('coupon_frequency', 'integer') }} as coupon_frequency,
    {{ safe_cast('annual_premium', type_double()) }} as annual_premium,
    {{ safe_cast('premium_years', 'integer') }} as premium_years,
    {{ safe_cast('start_date', 'date') }} as start_date,
    {{ safe_cast('maturity_date', 'date') }} as maturity_date,
    case
        when {{ is_unparseable('rate', type_double()) }} then 'unparseable_rate'
        when {{ is_unparseable('coupon_frequency', 'integer') }} then 'unparseable_coupon_frequency'
        when {{ is_unparseable('annual_premium', type_double()) }} then 'unparseable_annual_premium'
        when {{ is_unparseable('premium_years', 'integer') }} then 'unparseable_premium_years'
        when {{ is_unparseable('start_date', 'date') }} then 'unparseable_start_date'
        when {{ is_unparseable('maturity_date', 'date') }} then 'unparseable_maturity_date'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(instrument_id as varchar), ''), coalesce(cast(asset_class as varchar), ''), coalesce(cast(currency as varchar), ''), coalesce(cast(rate as varchar), ''), coalesce(cast(coupon_frequency as varchar), ''), coalesce(cast(start_date as varchar), ''), coalesce(cast(maturity_date as varchar), '')) as source_record
from source
