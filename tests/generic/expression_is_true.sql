{#- Fails with every row for which `expression` is not true.
    restated_date_column (incremental facts): check only the rows of the dates the latest run
    restated (restated_rows), so a nightly run checks what it wrote, not the whole history. -#}
{% test expression_is_true(model, expression, restated_date_column=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if restated_date_column %}
    and {{ restated_rows(restated_date_column) }}
{%- endif %}
{% endtest %}
