-- Grain: snapshot_date, account_id, instrument_id. Each snapshot_date is a complete book.
-- Rows whose key cannot be parsed keep a null key part and a row_issue; they are reported in
-- fct_input_exceptions and never valued.
with source as (
    select * from {{ source('raw', 'holdings') }}
),

-- each number parsed once (a non-finite one counts as unparseable)
parsed as (
    select
        source.*,
        {{ safe_cast('quantity', type_double()) }} as parsed_quantity,
        {{ safe_cast('cost_amount', type_double()) }} as parsed_cost_amount
    from source
)

select
    {{ safe_cast('snapshot_date', 'date') }} as snapshot_date,
    {{ clean_text('account_id') }} as account_id,
    {{ clean_text('instrument_id') }} as instrument_id,
    -- a number too large for any position is kept out of every figure (row_issue says why)
    case when {{ within_money_range('parsed_quantity') }} then parsed_quantity end as quantity,
    case when {{ within_money_range('parsed_cost_amount') }} then parsed_cost_amount end as cost_amount,
    case
        when {{ safe_cast('snapshot_date', 'date') }} is null then 'unparseable_snapshot_date'
        when {{ clean_text('account_id') }} is null then 'missing_account_id'
        when {{ clean_text('instrument_id') }} is null then 'missing_instrument_id'
        when parsed_quantity is null then 'unparseable_quantity'
        when not {{ within_money_range('parsed_quantity') }} then 'quantity_out_of_range'
        when {{ is_unparseable('cost_amount', type_double()) }} then 'unparseable_cost_amount'
        when not {{ within_money_range('parsed_cost_amount') }} then 'cost_amount_out_of_range'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(snapshot_date as varchar), ''), coalesce(cast(account_id as varchar), ''), coalesce(cast(instrument_id as varchar), ''), coalesce(cast(quantity as varchar), ''), coalesce(cast(cost_amount as varchar), '')) as source_record
from parsed
