{#- Staging helpers: trimmed text with '' as null, normalised codes, and casts that never
    fail (a bad value becomes null and is flagged by the caller). Typed (Parquet) columns go
    through try_cast directly, so no text round trip on the large tables. -#}
{% macro clean_text(col) -%}
    nullif(trim(cast({{ col }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{% macro clean_code(col, case='lower') -%}
    {%- if case == 'upper' -%}upper({{ clean_text(col) }}){%- else -%}lower({{ clean_text(col) }}){%- endif -%}
{%- endmacro %}

{#- A number that is not finite (NaN, inf, as a CSV may carry them) counts as unparseable. -#}
{% macro safe_cast(col, type) -%}
    {%- if type == type_double() -%}
    case when isfinite(try_cast({{ col }} as {{ type }})) then try_cast({{ col }} as {{ type }}) end
    {%- else -%}
    try_cast({{ col }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#- True when a value is present but could not be parsed as `type` (blank text counts as absent). -#}
{% macro is_unparseable(col, type) -%}
    ({{ safe_cast(col, type) }} is null and {{ col }} is not null and {{ clean_text(col) }} is not null)
{%- endmacro %}
