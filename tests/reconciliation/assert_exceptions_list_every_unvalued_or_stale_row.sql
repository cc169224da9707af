-- fct_valuation_exceptions lists every unvalued, stale-priced or cost-fallback holding-day of
-- fct_holding_valuations_daily under the matching reason. Returns the rows it misses.
with expected as (
    select valuation_date, account_id, instrument_id, exception_reason
    from {{ ref('fct_holding_valuations_daily') }}
    where not is_valued and {{ restated_rows('valuation_date') }}
    union all
    select valuation_date, account_id, instrument_id, 'stale_price' as exception_reason
    from {{ ref('fct_holding_valuations_daily') }}
    where is_price_stale and {{ restated_rows('valuation_date') }}
    union all
    select valuation_date, account_id, instrument_id, 'cost_fallback' as exception_reason
    from {{ ref('fct_holding_valuations_daily') }}
    where valuation_method = 'cost_fallback' and {{ restated_rows('valuation_date') }}
)

select expected.*
from expected
left join {{ ref('fct_valuation_exceptions') }} as exceptions
    on expected.valuation_date = exceptions.valuation_date
    and expected.account_id = exceptions.account_id
    and expected.instrument_id = exceptions.instrument_id
    and expected.exception_reason = exceptions.exception_reason
where exceptions.valuation_date is null
