{#- Fails with one row per duplicated key: the key values and how many rows share them.
    Usage: data_tests: - unique_key: {arguments: {columns: [a, b]}}
    Sorting one 64-bit hash is much cheaper than grouping several text columns, so repeated key
    hashes are found first; only rows whose hash repeats are then grouped by the real key (a hash
    collision costs a little time, never a wrong answer).
    restated_snapshot_column (raw holdings only): check only the snapshots this run's
    restatement reads, from the book in force on int_restatement_plan.restate_from on (all of
    them on a first build or a full refresh, none when nothing changed). Every older snapshot is
    unchanged since a build that checked it: a changed snapshot moves restate_from to its date.
    The test then runs after the plan and still blocks every model that reads the holdings'
    restated dates (dbt build waits for a test whose parents are all upstream of the model).
    restated_date_column (incremental facts): check only the dates the latest run restated
    (restated_rows); the rows of other dates are unchanged since a run that checked them. -#}
{% test unique_key(model, columns, restated_snapshot_column=none, restated_date_column=none) %}
{#- scoped only when the plan and the books exist (a run selecting only staging on a new
    warehouse has neither: then every snapshot is checked) -#}
{%- set scoped = false -%}
{%- if restated_snapshot_column -%}
    {%- set plan = ref('int_restatement_plan') -%}
    {%- set books = ref('int_snapshot_books') -%}
    {%- set scoped = not execute or (load_relation(plan) is not none
                                     and load_relation(books) is not none) -%}
{%- endif %}
with checked as (
    select {{ columns | join(', ') }}
    from {{ model }}
    {%- if scoped %}
    where {{ restated_snapshot_column }} >= coalesce(
        (
            select books.snapshot_date
            from {{ books }} as books
            inner join {{ plan }} as plan
                on books.date_day = plan.restate_from
        ),
        (select plan.restate_from from {{ plan }} as plan),
        cast('9999-12-31' as date)
    )
    {%- elif restated_date_column %}
    where {{ restated_rows(restated_date_column) }}
    {%- endif %}
),

-- a repeated hash sits next to its twin once the hashes are sorted: sorting 8-byte integers is
-- several times cheaper than a hash table with one entry per row
sorted_hashes as (
    select
        key_hash,
        lag(key_hash) over (order by key_hash) as previous_hash
    from (select {{ row_hash(columns) }} as key_hash from checked) as hashed
),

repeated_hashes as (
    select key_hash
    from sorted_hashes
    where key_hash = previous_hash
)

select
    {{ columns | join(', ') }},
    count(*) as duplicate_rows
from checked
where {{ row_hash(columns) }} in (select repeated_hashes.key_hash from repeated_hashes)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
