-- Grain: instrument_id, date_day. For every day of the window on or after an instrument's first
-- valid price: the latest price with price_date <= day (as-of), its date and age in days.
-- Built from price spells joined to the calendar by range, so no instrument x day cross join.
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
        lead(price_date) over (partition by instrument_id order by price_date) as next_price_date
    from prices
)

select
    spells.instrument_id,
    calendar.date_day,
    spells.price,
    spells.price_date,
    {{ dbt.datediff('spells.price_date', 'calendar.date_day', 'day') }} as price_age_days
from spells
inner join {{ ref('int_calendar_days') }} as calendar
    on spells.price_date <= calendar.date_day
    and (spells.next_price_date is null or spells.next_price_date > calendar.date_day)
