-- depends_on: {{ ref('int_input_fingerprints') }}
{{ config(post_hook="{{ record_pending_restatement() }}") }}
-- Grain: one row. From which date the incremental day-grained facts must be restated in this
-- run: the earliest date whose inputs changed since the last successful build (a late price, a
-- corrected or new snapshot, a new calendar day), or everything (0001-01-01) on the first build,
-- with --full-refresh, or when an undated input (instruments, accounts, ownership, asset-class
-- rules) or the configuration (vars, raw_data_path, model and macro code) changed; and never
-- later than a date still pending from a run that did not complete (meta.pending_restatement,
-- reason previous_run_incomplete). restate_from is null when nothing changed: the facts then
-- insert nothing. The post-hook records this run's date as pending until the run completes.
{% set loaded = adapter.get_relation(database=target.database, schema='meta', identifier='loaded_input_fingerprints') %}
{% set pending = adapter.get_relation(database=target.database, schema='meta', identifier='pending_restatement') %}
{% set everything = date_literal_sentinel() %}
-- depends_on: {{ ref('int_valuation_window') }}
{% if loaded is none or flags.FULL_REFRESH %}
with decision as (
    select
        {{ everything }} as restate_from,
        '{{ "full_refresh" if flags.FULL_REFRESH else "first_build" }}' as restate_reason,
        cast(null as integer) as changed_inputs
)
{% else %}
with window_bounds as (
    select window_start_date from {{ ref('int_valuation_window') }}
),

current_inputs as (
    select * from {{ ref('int_input_fingerprints') }}
),

loaded_inputs as (
    select * from {{ loaded }}
),

changes as (
    select
        coalesce(current_inputs.input_name, loaded_inputs.input_name) as input_name,
        coalesce(current_inputs.input_date, loaded_inputs.input_date) as input_date
    from current_inputs
    full outer join loaded_inputs
        on current_inputs.input_name = loaded_inputs.input_name
        and current_inputs.input_date = loaded_inputs.input_date
    where current_inputs.fingerprint is null
        or loaded_inputs.fingerprint is null
        or current_inputs.fingerprint <> loaded_inputs.fingerprint
),

by_inputs as (
    select
        case
            when count(*) = 0 then cast(null as date)
            when min(input_date) = {{ everything }} then {{ everything }}
            else greatest(min(input_date), (select window_bounds.window_start_date from window_bounds))
        end as restate_from,
        case
            when count(*) = 0 then 'no_change'
            when min(input_date) = {{ everything }} then 'undated_input_or_configuration_changed'
            else 'dated_inputs_changed'
        end as restate_reason,
        cast(count(*) as integer) as changed_inputs
    from changes
),

-- the earliest date a run that did not complete had started to restate
pending as (
    {%- if pending is none %}
    select cast(null as date) as restate_from
    {%- else %}
    select
        case
            when min(restate_from) = {{ everything }} then {{ everything }}
            else greatest(min(restate_from), (select window_bounds.window_start_date from window_bounds))
        end as restate_from
    from {{ pending }}
    {%- endif %}
),

decision as (
    select
        case
            when pending.restate_from is null then by_inputs.restate_from
            when by_inputs.restate_from is null then pending.restate_from
            else least(by_inputs.restate_from, pending.restate_from)
        end as restate_from,
        case
            when pending.restate_from is not null
                and (by_inputs.restate_from is null or pending.restate_from < by_inputs.restate_from)
                then 'previous_run_incomplete'
            else by_inputs.restate_reason
        end as restate_reason,
        by_inputs.changed_inputs
    from by_inputs
    cross join pending
)
{% endif %}

select
    restate_from,
    restate_reason,
    changed_inputs
from decision
