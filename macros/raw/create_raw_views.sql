{#- on-run-start: check every raw file against raw_table_spec() and expose it as a view
    raw.<table> with exactly the contract's columns (required + optional; an optional column the
    file lacks is NULL; extra columns are dropped). CSV is read as text so that one bad value
    cannot abort the scan: staging try_casts and flags it. An absent optional table becomes an
    empty view. Any missing file or required column stops the run before a model is built, with a
    message naming the file and the column(s). Engine-specific: dispatched. -#}
{% macro create_raw_views() %}
    {{ return(adapter.dispatch('create_raw_views', 'customer_aum')()) }}
{% endmacro %}

{% macro default__create_raw_views() %}
    {{ exceptions.raise_compiler_error(
        "create_raw_views is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}

{% macro duckdb__create_raw_views() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set folder = (var('raw_data_path') | string).rstrip('/') -%}
    {%- set spec = raw_table_spec() -%}
    {%- set problems = [] -%}
    {%- set statements = ["create schema if not exists raw"] -%}
    {%- for table, t in spec.items() -%}
        {%- set found = [] -%}
        {%- for ext in ['parquet', 'csv'] -%}
            {%- set candidate = folder ~ '/' ~ table ~ '.' ~ ext -%}
            {%- if found | length == 0 -%}
                {%- set hit = run_query("select count(*) from glob(" ~ sql_literal(candidate) ~ ")") -%}
                {%- if hit.columns[0].values()[0] > 0 -%}
                    {%- do found.append((candidate, ext)) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set wanted = t['required'] + t['optional'] -%}
        {%- if found | length == 0 -%}
            {%- if t['optional_table'] -%}
                {%- set cols = [] -%}
                {%- for c in wanted -%}
                    {%- do cols.append("cast(null as varchar) as " ~ c) -%}
                {%- endfor -%}
                {%- do statements.append("create or replace view raw." ~ table ~ " as select "
                      ~ cols | join(', ') ~ " where false") -%}
            {%- else -%}
                {%- do problems.append("required raw table '" ~ table ~ "' not found: expected "
                      ~ folder ~ "/" ~ table ~ ".parquet or " ~ folder ~ "/" ~ table ~ ".csv") -%}
            {%- endif -%}
        {%- else -%}
            {%- set path, ext = found[0] -%}
            {%- if ext == 'parquet' -%}
                {%- set reader = "read_parquet(" ~ sql_literal(path) ~ ")" -%}
            {%- else -%}
                {%- set reader = "read_csv(" ~ sql_literal(path)
                    ~ ", header = true, all_varchar = true, auto_detect = true)" -%}
            {%- endif -%}
            {%- set described = run_query("describe select * from " ~ reader) -%}
            {%- set present = [] -%}
            {%- for name in described.columns[0].values() -%}
                {%- do present.append(name | lower) -%}
            {%- endfor -%}
            {%- set missing = [] -%}
            {%- for c in t['required'] -%}
                {%- if c not in present -%}{%- do missing.append(c) -%}{%- endif -%}
            {%- endfor -%}
            {%- if missing | length > 0 -%}
                {%- do problems.append("raw file " ~ path ~ " is missing required column(s): "
                      ~ missing | join(', ')) -%}
            {%- elif t.get('must_have_rows') and run_query("select 1 from " ~ reader ~ " limit 1").rows | length == 0 -%}
                {%- do problems.append("raw file " ~ path ~ " has no rows: a " ~ table
                      ~ " extract needs at least one row (one snapshot)") -%}
            {%- else -%}
                {%- set cols = [] -%}
                {%- for c in wanted -%}
                    {%- if c in present -%}
                        {%- do cols.append(adapter.quote(c)) -%}
                    {%- else -%}
                        {%- do cols.append("cast(null as varchar) as " ~ c) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do statements.append("create or replace view raw." ~ table ~ " as select "
                      ~ cols | join(', ') ~ " from " ~ reader) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error("Raw input contract violated (raw_data_path = "
            ~ folder ~ "):\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {{ return(statements | join(';\n') ~ ';') }}
{% endmacro %}
