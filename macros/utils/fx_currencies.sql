{#- Every currency that appears in a usable FX rate, either side of the pair: the set that decides
    unknown_currency (int_instruments_enriched) and so an undated input of the restatement
    (int_input_fingerprints). -#}
{% macro currencies_with_fx_rates() -%}
    select currency_from as currency
    from {{ ref('stg_raw__fx_rates') }}
    where row_issue is null
    union
    select currency_to as currency
    from {{ ref('stg_raw__fx_rates') }}
    where row_issue is null
{%- endmacro %}
