-- Grain: date_day. For every day of the valuation window, the snapshot whose book is in force:
-- the latest snapshot_date on or before the day (weekends and holidays carry the last book).
-- Small (one row per day), so holdings reach their days through an equi-join on snapshot_date.
with snapshots as (
    select distinct snapshot_date
    from {{ ref('stg_raw__holdings') }}
    where snapshot_date is not null
),

books as (
    select
        snapshot_date,
        lead(snapshot_date) over (order by snapshot_date) as next_snapshot_date
    from snapshots
)

select
    calendar.date_day,
    books.snapshot_date,
    {{ dbt.datediff('books.snapshot_date', 'calendar.date_day', 'day') }} as book_age_days
from {{ ref('int_calendar_days') }} as calendar
inner join books
    on calendar.date_day >= books.snapshot_date
    and (books.next_snapshot_date is null or calendar.date_day < books.next_snapshot_date)
