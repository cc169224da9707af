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

{#- The unrounded reporting-currency value of a valued holding-day of fct_holding_valuations_daily
    (quantity x unit_value x fx_rate, all unrounded DOUBLE there), null when not valued. The
    customer facts and the flow split start from this, not from the published
    market_value_reporting, which is already rounded to 4 decimals: summing or differencing
    rounded values would move the published figures by up to 1e-4 (docs/data-quality.md). -#}
{% macro holding_value_reporting(relation_alias) -%}
    case when {{ relation_alias }}.is_valued then
        coalesce({{ relation_alias }}.quantity * {{ relation_alias }}.unit_value * {{ relation_alias }}.fx_rate, 0)
    end
{%- endmacro %}

{#- An order-independent sum of money terms: each term is cast to DECIMAL(38, 10) (exact to
    1e-10) before summing, so the sum is exact integer arithmetic and the same whatever order the
    engine's threads add the rows in. A DOUBLE sum differs in its last bits from run to run, and
    a figure that lands near a half of the 4th decimal then rounds either way. -#}
{% macro exact_sum(expr) -%}
    sum(cast({{ expr }} as decimal(38, 10)))
{%- endmacro %}

{#- The largest absolute value a single position, price or cost may have before it counts as a
    defect (1e15: a thousand trillion; a real position is far below, and the project's exact sums
    and DECIMAL(38, 4) keep ample headroom above it). -#}
{% macro max_position_value() -%}1e15{%- endmacro %}

{% macro within_money_range(expr) -%}
    (isfinite({{ expr }}) and abs({{ expr }}) <= {{ max_position_value() }})
{%- endmacro %}

{#- How far a price moved from a reference price, as a factor >= 1 in either direction: the
    larger of new / old and old / new (2 = doubled or halved). Null unless both are positive. -#}
{% macro price_move_ratio(price, reference) -%}
    case
        when {{ price }} > 0 and {{ reference }} > 0
            then greatest({{ price }} / {{ reference }}, {{ reference }} / {{ price }})
    end
{%- endmacro %}
