{#- Masking of personal data for marts (SPEC: names, ID numbers and mobiles never reach a mart
    unmasked). Portable string functions only. Standard formats keep the usual characters (ID
    region code and last 4, mobile prefix and last 4); a value of any other length keeps at most
    its first 2 and last 2 characters and has at least half of them masked, so an unexpected
    format (a 10-character passport number, an 8-digit Hong Kong mobile) is never published
    nearly whole. -#}

{#- 张三丰 -> 张**: the first character (the surname for Chinese names), then one * per remaining
    character; a one-character name is masked whole. -#}
{% macro mask_name(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) < 2 then repeat('*', length({{ col }}))
         else concat(substring({{ col }}, 1, 1), repeat('*', length({{ col }}) - 1)) end
{%- endmacro %}

{#- Resident ID numbers (15 or 18 characters), 110101199003071234 -> 110101********1234: region
    code and last 4 kept. Other lengths from 8 to 14 (passports, foreign IDs): first 2 and last 2
    kept. Shorter: masked whole. -#}
{% macro mask_id_number(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) >= 15
            then concat(substring({{ col }}, 1, 6), repeat('*', length({{ col }}) - 10),
                        substring({{ col }}, length({{ col }}) - 3, 4))
         when length({{ col }}) >= 8
            then concat(substring({{ col }}, 1, 2), repeat('*', length({{ col }}) - 4),
                        substring({{ col }}, length({{ col }}) - 1, 2))
         else repeat('*', length({{ col }})) end
{%- endmacro %}

{#- Mobiles of 11 characters or more, 13812345678 -> 138****5678: first 3 and last 4 kept.
    8 to 10 characters (e.g. 8-digit Hong Kong numbers): first 2 and last 2 kept. Shorter: masked
    whole. -#}
{% macro mask_mobile(col) -%}
    case when {{ col }} is null then null
         when length({{ col }}) >= 11
            then concat(substring({{ col }}, 1, 3), repeat('*', length({{ col }}) - 7),
                        substring({{ col }}, length({{ col }}) - 3, 4))
         when length({{ col }}) >= 8
            then concat(substring({{ col }}, 1, 2), repeat('*', length({{ col }}) - 4),
                        substring({{ col }}, length({{ col }}) - 1, 2))
         else repeat('*', length({{ col }})) end
{%- endmacro %}
