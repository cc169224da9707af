{#- The asset classes (docs/raw-inputs.md#asset-classes), in display order. Each becomes a
    `<asset_class>_aum` column of fct_customer_assets_daily. Adding a class means adding it here
    and to the seed asset_class_rules (and to the marts' contracts). -#}
{% macro asset_classes() -%}
    {{ return(['cash', 'demand_deposit', 'time_deposit', 'money_market_fund', 'mutual_fund',
               'wealth_product', 'stock', 'bond', 'insurance', 'gold', 'trust', 'real_estate']) }}
{%- endmacro %}
