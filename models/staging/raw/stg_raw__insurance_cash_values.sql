-- Grain: instrument_id, policy_year. Cash value of one policy unit at the end of policy_year.
with source as (
    select * from {{ source('raw', 'insurance_cash_values') }}
)

select
    {{ clean_text('instrument_id') }} as instrument_id,
    {{ safe_cast('policy_year', 'integer') }} as policy_year,
    {{ safe_cast('cash_value', type_double()) }} as cash_value,
    case
        when {{ clean_text('instrument_id') }} is null then 'missing_instrument_id'
        when {{ safe_cast('policy_year', 'integer') }} is null then 'unparseable_policy_year'
        when {{ safe_cast('policy_year', 'integer') }} < 1 then 'policy_year_out_of_range'
        when {{ safe_cast('cash_value', type_double()) }} is null then 'unparseable_cash_value'
    end as row_issue,
    -- the raw values as delivered, for input-exception reports (pruned when unused)
    concat_ws('|', coalesce(cast(instrument_id as varchar), ''), coalesce(cast(policy_year as varchar), ''), coalesce(cast(cash_value as varchar), '')) as source_record
from source
