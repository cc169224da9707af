-- Grain: rate_date, currency_from, currency_to. 1 currency_from = rate currency_to.
with source as (
    select * from {{ source('raw', 'fx_rates') }}
)

select
    {{ safe_cast('rate_date', 'date') }} as rate_date,
    {{ clean_code('currency_from', 'upper') }} as currency_from,
    {{ clean_code('currency_to', 'upper') }} as currency_to,
    {{ safe_cast('rate', type_double()) }} as rate,
    case
        when {{ safe_cast('rate_date', 'date') }} is null then 'unparseable_rate_date'
        when {{ clean_text('currency_from') }} is null or {{ clean_text('currency_to') }} is null
            then 'missing_currency'
        when {{ safe_cast('rate', type_double()) }} is null then 'unparseable_rate'
        when {{ safe_cast('rate', type_double()) }} <= 0 then 'non_positive_rate'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(rate_date as varchar), ''), coalesce(cast(currency_from as varchar), ''), coalesce(cast(currency_to as varchar), ''), coalesce(cast(rate as varchar), '')) as source_record
from source
