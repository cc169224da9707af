{#- One row per calendar day from start_expr to end_expr inclusive, as column `date_day`.
    Both are SQL date expressions. Engine-specific, hence dispatched. -#}
{% macro date_range(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('date_range', 'customer_aum')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro duckdb__date_range(start_expr, end_expr) -%}
    select cast(d as date) as date_day
    from (select unnest(generate_series(
        cast({{ start_expr }} as timestamp), cast({{ end_expr }} as timestamp), interval 1 day
    )) as d)
{%- endmacro %}

{% macro spark__date_range(start_expr, end_expr) -%}
    select explode(sequence(cast({{ start_expr }} as date), cast({{ end_expr }} as date))) as date_day
{%- endmacro %}
