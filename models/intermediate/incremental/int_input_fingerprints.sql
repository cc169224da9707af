-- Grain: input_name, input_date. A fingerprint of every input the day-grained facts depend on:
-- dated inputs per date (a holdings snapshot, a day's prices, a day's FX rates, the book in force
-- on each calendar day, the aum_engine schedule values per day), undated inputs (instruments,
-- cash values, accounts, ownership, the asset-class rules, the set of currencies with FX rates)
-- and the run's configuration (vars, raw_data_path, model, seed and macro code) with input_date
-- 0001-01-01. int_restatement_plan compares it with the record of the last
-- successful build (meta.loaded_input_fingerprints, written at on-run-end).
{#- the vars that change what the day facts hold (macro restating_vars) -#}
{% set config_items = {} %}
{% for name in restating_vars() %}
    {% do config_items.update({name: var(name) | string}) %}
{% endfor %}
{% set code = [] %}
{% if execute %}
    {% for node in graph.nodes.values() | sort(attribute='unique_id') %}
        {#- the evaluator's exceptions seed is documentation of the project, not an input -#}
        {% if node.resource_type in ['model', 'seed'] and node.package_name == project_name
              and node.name != 'dbt_project_evaluator_exceptions' %}
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
{#- instrument_schedules: the aum_engine package's output per day (bond accrued interest,
    accrual fractions, insurance unit values). Its inputs are fingerprinted here too, so it
    changes only when the package's code does, and then restates from the first day whose values
    moved. -#}
{% set dated_inputs = [
    ('holdings', 'stg_raw__holdings', 'snapshot_date', ['account_id', 'instrument_id', 'quantity', 'cost_amount', 'row_issue']),
    ('prices', 'stg_raw__prices', 'price_date', ['instrument_id', 'price', 'row_issue']),
    ('fx_rates', 'stg_raw__fx_rates', 'rate_date', ['currency_from', 'currency_to', 'rate', 'row_issue']),
    ('instrument_schedules', 'int_instrument_schedules_daily', 'date_day', ['instrument_id', 'accrued_interest_per_100', 'accrual_fraction', 'insurance_unit_value', 'schedule_exception_reason']),
] %}
with dated as (
    {% for name, model, date_column, columns in dated_inputs %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ name }}' as input_name,
        {{ date_column }} as input_date,
        {{ rows_fingerprint(columns) }} as fingerprint,
        count(*) as row_count
    from {{ ref(model) }}
    where {{ date_column }} is not null
    group by {{ date_column }}
    {%- endfor %}
),

books as (
    select
        'books' as input_name,
        date_day as input_date,
        cast(snapshot_date as {{ dbt.type_string() }}) as fingerprint,
        1 as row_count
    from {{ ref('int_snapshot_books') }}
),

-- which currencies have any FX rate at all decides unknown_currency on every date, so the set
-- is an undated input (a first rate for a new currency restates everything)
fx_currencies as (
    {{ currencies_with_fx_rates() }}
),

{# fx_currencies reads the CTE of that name above (model none) #}
{% set undated_inputs = [
    ('instruments', 'stg_raw__instruments', ['instrument_id', 'asset_class', 'valuation_method', 'currency', 'day_count', 'rate', 'coupon_frequency', 'annual_premium', 'premium_years', 'start_date', 'maturity_date', 'row_issue']),
    ('insurance_cash_values', 'stg_raw__insurance_cash_values', ['instrument_id', 'policy_year', 'cash_value', 'row_issue']),
    ('accounts', 'stg_raw__accounts', ['account_id', 'customer_id']),
    ('account_holders', 'stg_raw__account_holders', ['account_id', 'customer_id', 'ownership_share']),
    ('asset_class_rules', 'asset_class_rules', ['asset_class', 'include_in_financial_aum', 'default_valuation_method', 'max_price_age_days', 'liquidity_bucket', 'allows_negative_quantity']),
    ('fx_currencies', none, ['currency']),
] %}
undated as (
    {% for name, model, columns in undated_inputs %}
    select
        '{{ name }}' as input_name,
        {{ undated }} as input_date,
        coalesce({{ rows_fingerprint(columns) }}, 'empty') as fingerprint,
        count(*) as row_count
    from {{ ref(model) if model else name }}
    union all
    {% endfor %}
    select
        'configuration' as input_name,
        {{ undated }} as input_date,
        '{{ local_md5(tojson(config_items) ~ code | join(",")) }}' as fingerprint,
        1 as row_count
)

select * from dated
union all
select * from books
union all
select * from undated
