{#- Which runs wrote to the marts file without then passing every data test (docs/serving.md).
    A publication normally copies the marts file as a file, free blocks included; after such a
    run those blocks may hold rows no test ever checked (a failed privacy test's raw values, for
    one), so aum-nightly then publishes a clean copy and empties the record. -#}

{#- on-run-start: this run may write marts; it stays on record unless it ends verified. -#}
{% macro record_mart_writes_started() -%}
    {%- if execute and flags.WHICH in ['run', 'build'] -%}
    create schema if not exists meta;
    create table if not exists meta.unverified_mart_writes (
        run_id {{ dbt.type_string() }},
        command {{ dbt.type_string() }},
        started_at timestamp
    );
    insert into meta.unverified_mart_writes
    values ('{{ invocation_id }}', '{{ flags.WHICH }}', {{ dbt.current_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#- on-run-end: a build in which nothing failed and the privacy test passed wrote only checked
    rows; take it off the record. Any other run stays on it. -#}
{% macro clear_verified_mart_writes(results) -%}
    {%- if not execute or flags.WHICH != 'build' -%}{{ return('') }}{%- endif -%}
    {%- set privacy_passed = [] -%}
    {%- for result in results -%}
        {%- if result.status in failed_statuses() -%}
            {{ return('') }}
        {%- endif -%}
        {%- if result.node.name == 'assert_no_unmasked_personal_data_in_marts'
              and result.status == 'pass' -%}
            {%- do privacy_passed.append(true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if privacy_passed -%}
    delete from meta.unverified_mart_writes where run_id = '{{ invocation_id }}'
    {%- endif -%}
{%- endmacro %}
