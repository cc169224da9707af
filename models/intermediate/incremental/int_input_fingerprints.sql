-- Grain: input_name, input_date. A fingerprint of every input the day-grained facts depend on:
-- dated inputs per date (a holdings snapshot, a day's prices, a day's FX rates, the book in force
-- on each calendar day, the aum_engine schedule values per day), undated inputs (instruments,
-- cash values, accounts, ownership, the asset-class rules, the set of currencies with FX rates)
-- and the run's configuration (vars, raw_data_path, model, seed and macro code) with input_date
-- 0001-01-01. int_restatement_plan compares it with the record of the last
-- successful build (meta.loaded_input_fingerprints, written at on-run-end).
{% set config_items = {
    'raw_data_path': var('raw_data_path') | string,
    'reporting_currency': var('reporting_currency') | string,
    'insurance_basis': var('insurance_basis') | string,
    'fx_max_age_days': var('fx_max_age_days') | string,
    'valuation_start_date': var('valuation_start_date') | string,
    'valuation_end_date': var('valuation_end_date') | string,
    'fx_cross_currency': var('fx_cross_currency') | string,
    'default_accrual_day_count': var('default_accrual_day_count') | string,
} %}
{% set code = [] %}
{% if execute %}
    {% for node in graph.nodes.values() | sort(attribute='unique_id') %}
        {% if node.resource_type in ['model', 'seed'] and node.package_name == project_name %}
            {% do code.append(node.unique_id ~ ':' ~ node.checksum.checksum) %}
        {% endif %}
    {% endfor %}
    {#- the project's macros (not its generic tests): a model's checksum covers its own file only,
        and a macro such as the flow split or to_money changes what the facts hold -#}
    {% for name, macro in customer_aum.items() | sort %}
        {% if macro.macro.original_file_path.startswith('macros/') %}
            {% do code.append(name ~ ':' ~ local_md5(macro.macro.macro_sql)) %}
        {% endif %}
    {% endfor %}
{% endif %}
{% set undated = date_literal_sentinel() %}
with holdings as (
    select
        'holdings' as input_name,
        snapshot_date as input_date,
        {{ rows_fingerprint(['account_id', 'instrument_id', 'quantity', 'cost_amount', 'row_issue']) }} as fingerprint,
        count(*) as row_count
    from {{ ref('stg_raw__holdings') }}
    where snapshot_date is not null
    group by snapshot_date
),

prices as (
    select
        'prices' as input_name,
        price_date as input_date,
        {{ rows_fingerprint(['instrument_id', 'price', 'row_issue']) }} as fingerprint,
        count(*) as row_count
    from {{ ref('stg_raw__prices') }}
    where price_date is not null
    group by price_date
),

fx_rates as (
    select
        'fx_rates' as input_name,
        rate_date as input_date,
        {{ rows_fingerprint(['currency_from', 'currency_to', 'rate', 'row_issue']) }} as fingerprint,
        count(*) as row_count
    from {{ ref('stg_raw__fx_rates') }}
    where rate_date is not null
    group by rate_date
),

books as (
    select
        'books' as input_name,
        date_day as input_date,
        cast(snapshot_date as {{ dbt.type_string() }}) as fingerprint,
        1 as row_count
    from {{ ref('int_snapshot_books') }}
),

-- the aum_engine package's output per day (bond accrued interest, accrual fractions, insurance
-- unit values): its inputs are fingerprinted above, so this changes only when the package's
-- code does, and then restates from the first day whose schedule values moved
schedules as (
    select
        'instrument_schedules' as input_name,
        date_day as input_date,
        {{ rows_fingerprint(['instrument_id', 'accrued_interest_per_100', 'accrual_fraction', 'insurance_unit_value', 'schedule_exception_reason']) }} as fingerprint,
        count(*) as row_count
    from {{ ref('int_instrument_schedules_daily') }}
    group by date_day
),

-- which currencies have any FX rate at all decides unknown_currency on every date, so the set
-- is an undated input (a first rate for a new currency restates everything)
fx_currencies as (
    select currency_from as currency
    from {{ ref('stg_raw__fx_rates') }}
    where row_issue is null
    union
    select currency_to as currency
    from {{ ref('stg_raw__fx_rates') }}
    where row_issue is null
),

{% set undated_inputs = [
    ('instruments', 'stg_raw__instruments', ['instrument_id', 'asset_class', 'valuation_method', 'currency', 'day_count', 'rate', 'coupon_frequency', 'annual_premium', 'premium_years', 'start_date', 'maturity_date', 'row_issue']),
    ('insurance_cash_values', 'stg_raw__insurance_cash_values', ['instrument_id', 'policy_year', 'cash_value', 'row_issue']),
    ('accounts', 'stg_raw__accounts', ['account_id', 'customer_id']),
    ('account_holders', 'stg_raw__account_holders', ['account_id', 'customer_id', 'ownership_share']),
    ('asset_class_rules', 'asset_class_rules', ['asset_class', 'include_in_financial_aum', 'default_valuation_method', 'max_price_age_days', 'liquidity_bucket', 'allows_negative_quantity']),
] %}
undated as (
    {% for name, model, columns in undated_inputs %}
    select
        '{{ name }}' as input_name,
        {{ undated }} as input_date,
        coalesce({{ rows_fingerprint(columns) }}, 'empty') as fingerprint,
        count(*) as row_count
    from {{ ref(model) }}
    union all
    {% endfor %}
    select
        'fx_currencies' as input_name,
        {{ undated }} as input_date,
        coalesce({{ rows_fingerprint(['currency']) }}, 'empty') as fingerprint,
        count(*) as row_count
    from fx_currencies
    union all
    select
        'configuration' as input_name,
        {{ undated }} as input_date,
        '{{ local_md5(tojson(config_items) ~ code | join(",")) }}' as fingerprint,
        1 as row_count
)

select * from holdings
union all
select * from prices
union all
select * from fx_rates
union all
select * from books
union all
select * from schedules
union all
select * from undated
