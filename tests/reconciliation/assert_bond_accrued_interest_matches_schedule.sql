-- docs/valuation.md#bonds: bond accrued interest agrees with QuantLib to 1e-6 per 100 face. The
-- package's per-100 figure is checked against QuantLib by pytest; this checks that the published
-- position amount carries it: accrued_interest / quantity x 100 equals the instrument-day
-- schedule's accrued_interest_per_100 within 1e-6 on every valued bond row the latest run
-- restated (a 4-decimal rounding of the position amount would miss it on small positions).
select
    valuations.valuation_date,
    valuations.account_id,
    valuations.instrument_id,
    valuations.quantity,
    valuations.accrued_interest,
    schedules.accrued_interest_per_100
from {{ ref('fct_holding_valuations_daily') }} as valuations
inner join {{ ref('int_instrument_values_daily') }} as schedules
    on valuations.instrument_id = schedules.instrument_id
    and valuations.valuation_date = schedules.date_day
where valuations.valuation_method = 'bond'
    and valuations.is_valued
    and valuations.quantity <> 0
    and {{ restated_rows('valuations.valuation_date') }}
    and abs(
        valuations.accrued_interest / valuations.quantity * 100
        - schedules.accrued_interest_per_100
    ) > 0.000001
