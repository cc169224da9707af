{#- Fails with one row per duplicated key: the key values and how many rows share them.
    Usage: data_tests: - unique_key: {arguments: {columns: [a, b]}}
    Grouping one 64-bit hash is much cheaper than grouping several text columns, so the keys are
    first grouped by their hash; only rows whose hash repeats are then grouped by the real key
    (a hash collision costs a little time, never a wrong answer). -#}
{% test unique_key(model, columns) %}
with repeated_hashes as (
    select {{ row_hash(columns) }} as key_hash
    from {{ model }}
    group by {{ row_hash(columns) }}
    having count(*) > 1
)

select
    {{ columns | join(', ') }},
    count(*) as duplicate_rows
from {{ model }}
where {{ row_hash(columns) }} in (select repeated_hashes.key_hash from repeated_hashes)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
