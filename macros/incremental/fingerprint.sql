{#- An order-independent fingerprint of a set of rows: the sum of a 64-bit hash of each row's
    columns, as text. Any change of a value, an added or a removed row changes it (up to hash
    collisions). Engine-specific, hence dispatched. -#}
{% macro rows_fingerprint(columns) -%}
    {{ return(adapter.dispatch('rows_fingerprint', 'customer_aum')(columns)) }}
{%- endmacro %}

{% macro duckdb__rows_fingerprint(columns) -%}
    cast(sum(hash({{ columns | join(', ') }})) as varchar)
{%- endmacro %}

{% macro spark__rows_fingerprint(columns) -%}
    cast(sum(cast(xxhash64({{ columns | join(', ') }}) as decimal(38, 0))) as string)
{%- endmacro %}

{#- A 64-bit hash of one row's columns (used to pre-filter key tests). Dispatched. -#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'customer_aum')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
