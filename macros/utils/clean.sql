{#- Staging helpers: trimmed text with '' as null, normalised codes, and casts that never
    fail (a bad value becomes null and is flagged by the caller). Typed (Parquet) columns go
    through try_cast directly, so no text round trip on the large tables. -#}
{% macro clean_text(col) -%}
    nullif(trim(cast({{ col }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{% macro clean_code(col, case='lower') -%}
    {%- if case == 'upper' -%}upper({{ clean_text(col) }}){%- else -%}lower({{ clean_text(col) }}){%- endif -%}
{%- endmacro %}

{% macro safe_cast(col, type) -%}
    try_cast({{ col }} as {{ type }})
{%- endmacro %}

{#- True when a value is present but could not be parsed as `type` (blank text counts as absent). -#}
{% macro is_unparseable(col, type) -%}
    ({{ safe_cast(col, type) }} is null and {{ col }} is not null and {{ clean_text(col) }} is not null)
{%- endmacro %}
