{{ config(materialized='view') }}
-- Grain: date_day, account_id, instrument_id. The carried book: every position of the snapshot
-- in force on each day of the window (docs/valuation.md#the-carried-book). A position absent from a snapshot, or with
-- quantity 0, is no position. Rows whose key could not be parsed are not positions (they are
-- listed in fct_input_exceptions); a row whose quantity could not be parsed is kept, as a
-- position that cannot be valued. A view: it is read once, by the valuation fact.
select
    books.date_day,
    holdings.account_id,
    holdings.instrument_id,
    holdings.snapshot_date,
    holdings.quantity,
    holdings.cost_amount,
    holdings.row_issue
from {{ ref('stg_raw__holdings') }} as holdings
inner join {{ ref('int_snapshot_books') }} as books
    on holdings.snapshot_date = books.snapshot_date
where holdings.account_id is not null
    and holdings.instrument_id is not null
    and (holdings.quantity is null or holdings.quantity <> 0)
