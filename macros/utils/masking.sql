{#- Masking of personal data for marts (docs/raw-inputs.md#personal-data: names, ID numbers and
    mobiles never reach a mart unmasked; the rules: docs/marts.md#dim_customers). Portable
    string functions only. Standard formats keep the usual characters (ID region code and last
    4, mobile prefix and last 4); a value of any other length keeps at most its first 2 and last
    2 characters and has at least half of them masked, so an unexpected format (a 10-character
    passport number, an 8-digit Hong Kong mobile) is never published nearly whole. -#}

{#- 张三丰 -> 张**: the first character (the surname for Chinese names), then one * per remaining
    character; a one-character name is masked whole. -#}
{% macro mask_name(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) < 2 then repeat('*', length({{ col }}))
         else concat(substring({{ col }}, 1, 1), repeat('*', length({{ col }}) - 1)) end
{%- endmacro %}

{#- Resident ID numbers (15 or 18 characters), 110101199003071234 -> 110101********1234: region
    code and last 4 kept. -#}
{% macro mask_id_number(col) -%}
    {{ mask_by_length(col, standard_length=15, head=6, tail=4) }}
{%- endmacro %}

{#- Mobiles of 11 characters or more, 13812345678 -> 138****5678: first 3 and last 4 kept. -#}
{% macro mask_mobile(col) -%}
    {{ mask_by_length(col, standard_length=11, head=3, tail=4) }}
{%- endmacro %}

{#- From standard_length on: the first `head` and last `tail` characters kept, the rest masked.
    8 characters up to the standard length: first 2 and last 2 kept. Shorter: masked whole. -#}
{% macro mask_by_length(col, standard_length, head, tail) -%}
    case when {{ col }} is null then null
         when length({{ col }}) >= {{ standard_length }} then {{ mask_middle(col, head, tail) }}
         when length({{ col }}) >= 8 then {{ mask_middle(col, 2, 2) }}
         else repeat('*', length({{ col }})) end
{%- endmacro %}

{% macro mask_middle(col, head, tail) -%}
    concat(substring({{ col }}, 1, {{ head }}), repeat('*', length({{ col }}) - {{ head + tail }}),
           substring({{ col }}, length({{ col }}) - {{ tail - 1 }}, {{ tail }}))
{%- endmacro %}
