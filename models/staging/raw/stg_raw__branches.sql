-- Grain: branch_id.
with source as (
    select * from {{ source('raw', 'branches') }}
)

select
    {{ clean_text('branch_id') }} as branch_id,
    {{ clean_text('branch_name') }} as branch_name,
    {{ clean_text('city') }} as city,
    {{ clean_text('region') }} as region
from source
