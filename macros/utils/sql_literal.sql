{#- Render a Python string as a SQL string literal, doubling single quotes, so that paths and
    vars with quotes or spaces can never break out of the literal. -#}
{% macro sql_literal(value) -%}
    '{{ (value | string).replace("'", "''") }}'
{%- endmacro %}
