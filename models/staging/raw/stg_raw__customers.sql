-- Grain: customer_id. Personal data (name, ID number, mobile) stays in this layer; marts
-- read only the masked forms built in dim_customers.
with source as (
    select * from {{ source('raw', 'customers') }}
)

select
    {{ clean_text('customer_id') }} as customer_id,
    {{ clean_text('branch_id') }} as branch_id,
    {{ clean_text('household_id') }} as household_id,
    {{ clean_text('rm_id') }} as rm_id,
    {{ clean_text('customer_name') }} as customer_name,
    upper({{ clean_text('id_number') }}) as id_number,
    {{ clean_text('mobile') }} as mobile,
    {{ clean_code('gender') }} as gender,
    {{ clean_code('risk_profile', 'upper') }} as risk_profile,
    coalesce({{ clean_code('status') }}, 'active') as customer_status,
    {{ safe_cast('birth_date', 'date') }} as birth_date,
    {{ safe_cast('onboard_date', 'date') }} as onboard_date,
    {{ safe_cast('closed_date', 'date') }} as closed_date,
    case
        when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
        when {{ is_unparseable('birth_date', 'date') }} then 'unparseable_birth_date'
        when {{ is_unparseable('onboard_date', 'date') }} then 'unparseable_onboard_date'
        when {{ is_unparseable('closed_date', 'date') }} then 'unparseable_closed_date'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(customer_id as varchar), ''), coalesce(cast(onboard_date as varchar), ''), coalesce(cast(closed_date as varchar), '')) as source_record
from source
