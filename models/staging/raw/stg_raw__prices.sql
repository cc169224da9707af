-- Grain: price_date, instrument_id. Price in the instrument's currency.
with source as (
    select * from {{ source('raw', 'prices') }}
)

select
    {{ safe_cast('price_date', 'date') }} as price_date,
    {{ clean_text('instrument_id') }} as instrument_id,
    {{ safe_cast('price', type_double()) }} as price,
    case
        when {{ safe_cast('price_date', 'date') }} is null then 'unparseable_price_date'
        when {{ clean_text('instrument_id') }} is null then 'missing_instrument_id'
        when {{ safe_cast('price', type_double()) }} is null then 'unparseable_price'
        when {{ safe_cast('price', type_double()) }} < 0 then 'negative_price'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(price_date as varchar), ''), coalesce(cast(instrument_id as varchar), ''), coalesce(cast(price as varchar), '')) as source_record
from source
