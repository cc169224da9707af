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

-- every date to restate from: each changed input's, and any a run that did not complete had
-- started from; clipped once to the window (everything stays everything)
candidates as (
    select input_date as candidate_date, false as is_pending
    from changes
    {%- if pending is not none %}
    union all
    select restate_from as candidate_date, true as is_pending
    from {{ pending }}
    {%- endif %}
),

clipped as (
    select
        case
            when candidate_date = {{ everything }} then {{ everything }}
            else greatest(candidate_date, (select window_bounds.window_start_date from window_bounds))
        end as candidate_date,
        is_pending
    from candidates
),

by_source as (
    select
        min(case when not is_pending then candidate_date end) as inputs_from,
        min(case when is_pending then candidate_date end) as pending_from,
        cast(sum(case when is_pending then 0 else 1 end) as integer) as changed_inputs
    from clipped
),

decision as (
    select
        case
            when pending_from is null then inputs_from
            when inputs_from is null then pending_from
            else least(inputs_from, pending_from)
        end as restate_from,
        case
            when pending_from is not null and (inputs_from is null or pending_from < inputs_from)
                then 'previous_run_incomplete'
            when inputs_from is null then 'no_change'
            when inputs_from = {{ everything }} then 'undated_input_or_configuration_changed'
            else 'dated_inputs_changed'
        end as restate_reason,
        coalesce(changed_inputs, 0) as changed_inputs
    from by_source
)
{% endif %}

select
    restate_from,
    restate_reason,
    changed_inputs
from decision
