{#- Portable type names. dbt.type_float() is single precision on some engines, so money and
    quantities use these instead. Dispatched so a Spark target can override. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_aum')()) }}
{%- endmacro %}
{% macro default__type_double() -%}double{%- endmacro %}

{#- Money as published in marts: DECIMAL(38, 4), rounding to cents belongs to presentation. -#}
{% macro type_money() -%}decimal(38, 4){%- endmacro %}

{#- Cast an expression to published money. -#}
{% macro to_money(expr) -%}cast(round({{ expr }}, 4) as {{ type_money() }}){%- endmacro %}
