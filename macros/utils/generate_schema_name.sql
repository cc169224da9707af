{#- Custom schemas are used exactly as written (docs/README.md#fixed-names: marts land in schema
    `marts`, not `<target schema>_marts`). Models without a custom schema go to the target
    schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
