-- Grain: source_table, source_record, input_issue. Raw rows with a row-level defect found in
-- staging (unparseable key, date or number, missing id, out-of-range share), and account owners
-- missing from the customer master, with how many raw rows carried exactly that record.
-- Severity error: the row takes no part in valuation (its key, price or rate cannot be used);
-- warn: the row is used, with the defective field null or an owner the master does not know.
{% set sources = [
    ('holdings', 'stg_raw__holdings', "row_issue not in ('unparseable_cost_amount', 'cost_amount_out_of_range')"),
    ('prices', 'stg_raw__prices', 'true'),
    ('fx_rates', 'stg_raw__fx_rates', 'true'),
    ('instruments', 'stg_raw__instruments', 'true'),
    ('insurance_cash_values', 'stg_raw__insurance_cash_values', 'true'),
    ('account_holders', 'stg_raw__account_holders', 'true'),
    ('accounts', 'stg_raw__accounts', "row_issue in ('missing_account_id', 'missing_customer_id')"),
    ('customers', 'stg_raw__customers', "row_issue = 'missing_customer_id'"),
] %}
with issues as (
    {% for table, model, error_when in sources %}
    select
        '{{ table }}' as source_table,
        source_record,
        row_issue as input_issue,
        case when {{ error_when }} then 'error' else 'warn' end as severity
    from {{ ref(model) }}
    where row_issue is not null
    union all
    {% endfor %}
    -- an owner missing from the customer master (客户主数据缺失): the row is used (the value
    -- counts for that customer_id) and dim_customers carries the customer with unknown attributes
    {% for table, model in [('accounts', 'stg_raw__accounts'), ('account_holders', 'stg_raw__account_holders')] %}
    select
        '{{ table }}' as source_table,
        owners.source_record,
        'unknown_customer' as input_issue,
        'warn' as severity
    from {{ ref(model) }} as owners
    where owners.customer_id is not null
        and not exists (
            select 1
            from {{ ref('stg_raw__customers') }} as customers
            where customers.customer_id = owners.customer_id
        )
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    source_table,
    source_record,
    input_issue,
    severity,
    cast(count(*) as bigint) as affected_rows
from issues
group by source_table, source_record, input_issue, severity
