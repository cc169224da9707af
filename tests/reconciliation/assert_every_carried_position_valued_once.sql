-- Every position of the carried book has exactly one row in fct_holding_valuations_daily, and
-- the fact has no row that is not a carried position. Returns the offending keys. Checks the
-- dates the latest run restated (all of them after a full build).
with book as (
    select date_day as valuation_date, account_id, instrument_id, count(*) as book_rows
    from {{ ref('int_positions_carried_forward') }}
    where {{ restated_rows('date_day') }}
    group by date_day, account_id, instrument_id
),

fact as (
    select valuation_date, account_id, instrument_id, count(*) as fact_rows
    from {{ ref('fct_holding_valuations_daily') }}
    where {{ restated_rows('valuation_date') }}
    group by valuation_date, account_id, instrument_id
)

select
    coalesce(book.valuation_date, fact.valuation_date) as valuation_date,
    coalesce(book.account_id, fact.account_id) as account_id,
    coalesce(book.instrument_id, fact.instrument_id) as instrument_id,
    book.book_rows,
    fact.fact_rows
from book
full outer join fact
    on book.valuation_date = fact.valuation_date
    and book.account_id = fact.account_id
    and book.instrument_id = fact.instrument_id
where book.book_rows is null or fact.fact_rows is null or book.book_rows <> 1 or fact.fact_rows <> 1
