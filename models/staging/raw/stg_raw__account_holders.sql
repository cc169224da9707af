-- Grain: account_id, customer_id. Joint-account ownership; an account listed here has its
-- value split by ownership_share, otherwise it belongs wholly to accounts.customer_id.
with source as (
    select * from {{ source('raw', 'account_holders') }}
)

select
    {{ clean_text('account_id') }} as account_id,
    {{ clean_text('customer_id') }} as customer_id,
    {{ safe_cast('ownership_share', type_double()) }} as ownership_share,
    case
        when {{ clean_text('account_id') }} is null then 'missing_account_id'
        when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
        when {{ is_unparseable('ownership_share', type_double()) }} then 'unparseable_ownership_share'
        when {{ safe_cast('ownership_share', type_double()) }} is null then 'missing_ownership_share'
        when {{ safe_cast('ownership_share', type_double()) }} <= 0
            or {{ safe_cast('ownership_share', type_double()) }} > 1 then 'ownership_share_out_of_range'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(account_id as varchar), ''), coalesce(cast(customer_id as varchar), ''), coalesce(cast(ownership_share as varchar), '')) as source_record
from source
