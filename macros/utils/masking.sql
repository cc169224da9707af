{#- Masking of personal data for marts (SPEC: names, ID numbers and mobiles never reach a mart
    unmasked). Portable string functions only. -#}

{#- 张三丰 -> 张**: the first character (the surname for Chinese names), then one * per character. -#}
{% macro mask_name(col) -%}
    case when {{ col }} is null then null
         else concat(substring({{ col }}, 1, 1), repeat('*', greatest(length({{ col }}) - 1, 1))) end
{%- endmacro %}

{#- 110101199003071234 -> 110101********1234: region code and last 4 kept. -#}
{% macro mask_id_number(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) < 10 then repeat('*', length({{ col }}))
         else concat(substring({{ col }}, 1, 6), repeat('*', length({{ col }}) - 10),
                     substring({{ col }}, length({{ col }}) - 3, 4)) end
{%- endmacro %}

{#- 13812345678 -> 138****5678. -#}
{% macro mask_mobile(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) < 7 then repeat('*', length({{ col }}))
         else concat(substring({{ col }}, 1, 3), repeat('*', length({{ col }}) - 7),
                     substring({{ col }}, length({{ col }}) - 3, 4)) end
{%- endmacro %}
