{#- Incremental day-grained facts restate every date >= restate_from (int_restatement_plan).
    These helpers keep the three facts consistent. -#}

{#- The first date to restate, as a SQL scalar subquery. When this run's plan (built earlier in
    the same run: the facts depend on it) says nothing changed, a typed null literal instead, so
    the engine sees at planning time that every read of a fact is empty and skips it (a
    subquery is only known while the query runs, after the scans are planned). -#}
{% macro restate_from() -%}
    {%- set plan = ref('int_restatement_plan') -%}
    {%- if execute and model is defined and model.resource_type == 'model' -%}
        {%- set built = adapter.get_relation(database=plan.database, schema=plan.schema,
                                             identifier=plan.identifier) -%}
        {%- if built is not none -%}
            {%- set rows = run_query('select restate_from is null from ' ~ plan).rows -%}
            {%- if rows | length == 1 and rows[0][0] -%}
                {{- return('cast(null as date)') -}}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    (select restate_from from {{ plan }})
{%- endmacro %}

{#- pre_hook for an incremental fact: drop every row from the restatement date on (all of them
    when the plan says full), so vanished dates cannot survive, and every row before the window's
    first day (the first snapshot deleted: the window now starts later). No-op on a full build. -#}
{% macro delete_restated_rows(date_column, grain='day') -%}
    {%- if is_incremental() -%}
        {{ assert_incremental_table_current() }}
        {%- set window_start = "(select window_start_date from " ~ ref('int_valuation_window') ~ ")" %}
        delete from {{ this }} where
        {%- if grain == 'month' %}
            {{ date_column }} >= cast({{ dbt.date_trunc('month', restate_from()) }} as date)
            or {{ date_column }} < cast({{ dbt.date_trunc('month', window_start) }} as date)
        {%- else %}
            {{ date_column }} >= {{ restate_from() }}
            or {{ date_column }} < {{ window_start }}
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- post_hook of int_restatement_plan: the dates this run will restate stay pending in
    meta.pending_restatement until a run completes (on-run-end clears it). A run that changes
    some facts and then fails or is cut short leaves them pending, and the next plan restates
    them again even if the inputs went back to what the last complete run saw. -#}
{% macro record_pending_restatement() -%}
    create schema if not exists meta;
    create table if not exists meta.pending_restatement (
        restate_from date,
        restate_reason {{ dbt.type_string() }},
        recorded_at timestamp
    );
    insert into meta.pending_restatement
    select restate_from, restate_reason, {{ dbt.current_timestamp() }}
    from {{ this }}
    where restate_from is not null
{%- endmacro %}

{#- on-run-end: record the input fingerprints the facts now reflect, but only when this run
    built the fingerprints, the plan and every incremental fact and nothing failed; then nothing
    is pending any more. A failed or partial run leaves the previous record and the pending
    dates, so the next run restates the same dates again. -#}
{% macro commit_input_fingerprints(results) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set required = ['int_input_fingerprints', 'int_restatement_plan', 'fct_holding_valuations_daily',
                        'int_customer_assets_daily', 'fct_customer_assets_daily',
                        'fct_customer_assets_monthly',
                        'fct_valuation_exceptions'] -%}
    {%- set succeeded = [] -%}
    {%- for result in results -%}
        {%- if result.status in failed_statuses() -%}
            {{ log("Input fingerprints not committed: " ~ result.node.name ~ " " ~ result.status, info=true) }}
            {{ return('') }}
        {%- endif -%}
        {%- if result.status == 'success' -%}
            {%- do succeeded.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in required -%}
        {%- if name not in succeeded -%}{{ return('') }}{%- endif -%}
    {%- endfor -%}
    {%- set source = adapter.get_relation(database=target.database, schema='intermediate',
                                          identifier='int_input_fingerprints') -%}
    {%- if source is none -%}{{ return('') }}{%- endif -%}
    {{ return("create schema if not exists meta; create or replace table meta.loaded_input_fingerprints as select * from " ~ source ~ "; drop table if exists meta.pending_restatement") }}
{%- endmacro %}

{#- The run-result statuses of a node that did not succeed (on-run-end hooks read them). -#}
{% macro failed_statuses() -%}
    {{ return(['error', 'fail', 'runtime error', 'skipped']) }}
{%- endmacro %}

{#- The date standing for "undated input" in fingerprints and for "restate everything". -#}
{% macro date_literal_sentinel() -%}
    cast('0001-01-01' as date)
{%- endmacro %}

{#- A test filter that keeps only the rows restated by the latest run (all of them after a full
    build, none after a run that changed nothing), so tests on the large incremental facts cost
    what the run cost. Used by the generic tests' restated_date_column argument and by singular
    tests. -#}
{% macro restated_rows(date_column, grain='day') -%}
    {%- if grain == 'month' -%}
    {{ date_column }} >= cast({{ dbt.date_trunc('month', restated_from()) }} as date)
    {%- else -%}
    {{ date_column }} >= {{ restated_from() }}
    {%- endif -%}
{%- endmacro %}

{#- The first date the latest run restated, for tests: 9999-12-31 (check nothing) when it
    changed nothing. -#}
{% macro restated_from() -%}
    coalesce(
        (select restate_from from {{ model_relation('int_restatement_plan') }}),
        cast('9999-12-31' as date)
    )
{%- endmacro %}

{#- An incremental table built by an older version of the project (its columns differ from the
    model's contract) cannot be appended to: stop with a message that says what to do, instead of
    a binder error deep in the SQL. -#}
{% macro assert_incremental_table_current() -%}
    {%- if execute -%}
        {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- set contracted = model.columns.keys() | map('lower') | list -%}
        {%- set added = contracted | reject('in', existing) | list -%}
        {%- set removed = existing | reject('in', contracted) | list -%}
        {%- if added or removed -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by an older version of the project (columns added: "
                ~ (added | join(', ') or 'none') ~ "; removed: " ~ (removed | join(', ') or 'none')
                ~ "). Rebuild it once with: dbt build --full-refresh") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
