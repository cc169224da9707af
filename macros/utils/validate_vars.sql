{#- on-run-start: every var the project reads is checked for type and range before anything
    runs, and all problems are reported in one message. Strict patterns also mean that no var
    value can change the meaning of the SQL it is placed in (a currency is three letters, a day
    count one of five names, a date a date). docs/vars.md lists each rule. -#}
{% macro validate_vars() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set problems = [] -%}
    {%- set raw = var('raw_data_path') -%}
    {%- if raw is not string or raw | trim == '' -%}
        {%- do problems.append("raw_data_path = " ~ raw ~ ": expected a folder path") -%}
    {%- endif -%}
    {%- do var_check_currency(problems, 'reporting_currency') -%}
    {%- do var_check_currency(problems, 'fx_cross_currency') -%}
    {%- do var_check_enum(problems, 'tier_basis', ['month_avg', 'month_end']) -%}
    {%- do var_check_enum(problems, 'insurance_basis', ['cash_value', 'premium_paid']) -%}
    {%- do var_check_enum(problems, 'default_accrual_day_count',
                          ['ACT/360', 'ACT/365F', 'ACT/ACT-ICMA', '30/360', '30E/360']) -%}
    {%- do var_check_enum(problems, 'snapshot_drop_severity', ['warn', 'error']) -%}
    {%- do var_check_number(problems, 'fx_max_age_days', 0, 3650, integer=true) -%}
    {%- do var_check_number(problems, 'ownership_share_tolerance', 0, 0.01) -%}
    {%- do var_check_number(problems, 'snapshot_drop_threshold', 0, 1) -%}
    {%- set start = var_check_date(problems, 'valuation_start_date', nullable=true) -%}
    {%- set end = var_check_date(problems, 'valuation_end_date', nullable=true) -%}
    {%- if start and end and start > end -%}
        {%- do problems.append("valuation_start_date " ~ start ~ " is after valuation_end_date " ~ end) -%}
    {%- endif -%}
    {%- do var_check_date(problems, 'analysis_month', nullable=false) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("Invalid vars (see docs/vars.md):\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{% macro var_check_enum(problems, name, allowed) -%}
    {%- set value = var(name) -%}
    {%- if value is not string or value not in allowed -%}
        {%- do problems.append(name ~ " = " ~ value ~ ": expected one of " ~ allowed | join(', ')) -%}
    {%- endif -%}
{%- endmacro %}

{% macro var_check_currency(problems, name) -%}
    {%- set value = var(name) -%}
    {%- if value is not string or not modules.re.fullmatch('[A-Za-z]{3}', value) -%}
        {%- do problems.append(name ~ " = " ~ value ~ ": expected a three-letter ISO 4217 currency code such as CNY") -%}
    {%- endif -%}
{%- endmacro %}

{% macro var_check_number(problems, name, low, high, integer=false) -%}
    {%- set value = var(name) -%}
    {%- set text = value | string -%}
    {%- set pattern = '-?[0-9]+' if integer else '-?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE]-?[0-9]+)?' -%}
    {%- if value is boolean or value is none or not modules.re.fullmatch(pattern, text) -%}
        {%- do problems.append(name ~ " = " ~ value ~ ": expected " ~ ("a whole number" if integer else "a number") ~ " from " ~ low ~ " to " ~ high) -%}
    {%- elif (text | float) < low or (text | float) > high -%}
        {%- do problems.append(name ~ " = " ~ value ~ ": out of range, expected " ~ low ~ " to " ~ high) -%}
    {%- endif -%}
{%- endmacro %}

{#- An ISO date (a YAML date or its text); returns the text, or none after recording a problem. -#}
{% macro var_check_date(problems, name, nullable) -%}
    {%- set value = var(name) -%}
    {%- if value is none and nullable -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string -%}
    {%- set parsed = none -%}
    {%- if modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {%- set y, m, d = text[0:4] | int, text[5:7] | int, text[8:10] | int -%}
        {%- if 1 <= m <= 12 and y >= 1 -%}
            {%- set first_next = modules.datetime.date(y + (m // 12), m % 12 + 1, 1) if y < 9999 or m < 12 else none -%}
            {%- set last_day = (first_next - modules.datetime.timedelta(days=1)).day if first_next else 31 -%}
            {%- set parsed = text if 1 <= d <= last_day else none -%}
        {%- endif -%}
    {%- endif -%}
    {%- if parsed is none -%}
        {%- do problems.append(name ~ " = " ~ value ~ ": expected an ISO date (YYYY-MM-DD)" ~ (" or null" if nullable else "")) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}
