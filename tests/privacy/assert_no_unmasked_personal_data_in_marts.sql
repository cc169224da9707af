-- No mart may carry personal data unmasked: scans every text column of every table in the marts'
-- schema for an 18-character resident ID number, a mainland mobile number, or any customer's
-- raw name / ID number / mobile. Returns each offending table, column, what was found and the
-- value masked (as dim_customers masks it): a stored or printed failure never shows the raw
-- personal data it found (`dbt test --store-failures` writes these rows to the work file).
-- depends_on: {{ ref('fct_holding_valuations_daily') }}
-- depends_on: {{ ref('fct_valuation_exceptions') }}
-- depends_on: {{ ref('fct_customer_assets_daily') }}
-- depends_on: {{ ref('fct_customer_assets_monthly') }}
-- depends_on: {{ ref('fct_household_assets_monthly') }}
-- depends_on: {{ ref('dim_customers') }}
-- depends_on: {{ ref('dim_aum_tiers') }}
-- depends_on: {{ ref('fct_customer_tiers_monthly') }}
-- depends_on: {{ ref('dim_customer_tier_history') }}
-- depends_on: {{ ref('fct_tier_migrations_monthly') }}
-- depends_on: {{ ref('fct_input_exceptions') }}
{#- The incremental day-grained facts are scanned on the dates the latest run restated (all
    of them after a full build); every other mart whole. -#}
{#- the marts' database and schema as the manifest resolves them, not a hard-coded 'marts' -#}
{% set marts = model_relation('dim_customers') %}
{% set checks = [] %}
{% set date_columns = {} %}
{% if execute %}
    {% set columns = run_query(
        "select table_name, column_name, data_type from information_schema.columns "
        ~ "where table_catalog = " ~ sql_literal(marts.database)
        ~ " and table_schema = " ~ sql_literal(marts.schema) ~ " order by 1, 2") %}
    {% for row in columns.rows %}
        {% if row[2] == 'VARCHAR' %}
            {% do checks.append((row[0], row[1])) %}
        {% endif %}
        {% if row[1] in ['valuation_date', 'as_of_date'] %}
            {% do date_columns.update({row[0]: row[1]}) %}
        {% endif %}
    {% endfor %}
{% endif %}
with personal as (
    select distinct
        customer_name as value,
        'raw_customer_name' as kind
    from {{ ref('stg_raw__customers') }}
    where customer_name is not null
    union all
    select distinct
        id_number as value,
        'raw_id_number' as kind
    from {{ ref('stg_raw__customers') }}
    where id_number is not null
    union all
    select distinct
        mobile as value,
        'raw_mobile' as kind
    from {{ ref('stg_raw__customers') }}
    where mobile is not null
),

mart_values as (
    {% for table, column in checks %}
    -- each column's distinct values: the patterns run on thousands of values, not on every row
    select distinct '{{ table }}' as table_name, '{{ column }}' as column_name, cast("{{ column }}" as varchar) as value
    from {{ api.Relation.create(database=marts.database, schema=marts.schema, identifier=table) }}
    {% if table in date_columns %}
    where {{ restated_rows(date_columns[table]) }}
    {% endif %}
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select
        null as table_name,
        null as column_name,
        null as value
    where false
    {% endfor %}
),

findings as (
    -- what was found: a customer's raw value (its kind), else the pattern it matches
    select
        mart_values.table_name,
        mart_values.column_name,
        mart_values.value,
        coalesce(
            min(personal.kind),
            case
                when regexp_matches(mart_values.value, '^[0-9]{17}[0-9Xx]$') then 'id_number_pattern'
                else 'mobile_pattern'
            end
        ) as finding
    from mart_values
    left join personal on mart_values.value = personal.value
    where
        personal.value is not null
        or regexp_matches(mart_values.value, '^[0-9]{17}[0-9Xx]$')
        or regexp_matches(mart_values.value, '^1[3-9][0-9]{9}$')
    group by mart_values.table_name, mart_values.column_name, mart_values.value
)

select
    findings.table_name,
    findings.column_name,
    findings.finding,
    case
        when findings.finding = 'raw_customer_name' then {{ mask_name('findings.value') }}
        else {{ mask_by_length('findings.value', standard_length=11, head=3, tail=4) }}
    end as masked_value
from findings
