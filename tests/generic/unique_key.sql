{#- Fails with one row per duplicated key: the key values and how many rows share them.
    Usage: data_tests: - unique_key: {arguments: {columns: [a, b]}} -#}
{% test unique_key(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as duplicate_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
