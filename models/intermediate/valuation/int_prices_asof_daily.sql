-- Grain: instrument_id, date_day. For every day of the window on or after an instrument's first
-- valid price: the latest price with price_date <= day (as-of), its date and age in days.
-- Built from price spells joined to the calendar by range, so no instrument x day cross join.
-- previous_price and price_before_previous (the instrument's two valid prices before this one)
-- feed the daily price-move rule of seed plausibility_rules (int_instrument_values_daily).
with prices as (
    select instrument_id, price_date, price
    from {{ ref('stg_raw__prices') }}
    where row_issue is null
),

spells as (
    select
        instrument_id,
        price_date,
        price,
        lead(price_date) over by_date as next_price_date,
        lag(price) over by_date as previous_price,
        lag(price, 2) over by_date as price_before_previous
    from prices
    window by_date as (partition by instrument_id order by price_date)
)

select
    spells.instrument_id,
    calendar.date_day,
    spells.price,
    spells.price_date,
    spells.previous_price,
    spells.price_before_previous,
    {{ dbt.datediff('spells.price_date', 'calendar.date_day', 'day') }} as price_age_days
from spells
inner join {{ ref('int_calendar_days') }} as calendar
    on spells.price_date <= calendar.date_day
    and (spells.next_price_date is null or spells.next_price_date > calendar.date_day)
