-- Grain: account_id.
with source as (
    select * from {{ source('raw', 'accounts') }}
)

select
    {{ clean_text('account_id') }} as account_id,
    {{ clean_text('customer_id') }} as customer_id,
    {{ clean_code('account_type') }} as account_type,
    {{ safe_cast('open_date', 'date') }} as open_date,
    {{ safe_cast('close_date', 'date') }} as close_date,
    case
        when {{ clean_text('account_id') }} is null then 'missing_account_id'
        when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
        when {{ is_unparseable('open_date', 'date') }} then 'unparseable_open_date'
        when {{ is_unparseable('close_date', 'date') }} then 'unparseable_close_date'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(account_id as varchar), ''), coalesce(cast(customer_id as varchar), ''), coalesce(cast(open_date as varchar), ''), coalesce(cast(close_date as varchar), '')) as source_record
from source
