{#- Fails with one row per group whose shares do not sum to 1 within `tolerance`. -#}
{% test shares_sum_to_one(model, group_by, share_column, tolerance=0.000001) %}
select
    {{ group_by }},
    count(*) as holder_rows,
    sum({{ share_column }}) as share_total
from {{ model }}
group by {{ group_by }}
having abs(coalesce(sum({{ share_column }}), 0) - 1) > {{ tolerance }}
{% endtest %}
