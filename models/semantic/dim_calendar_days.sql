-- Grain: one row per calendar day (date_day), 2000-01-01 to 2099-12-31. The calendar
-- dimension of the semantic layer (MetricFlow's time spine: metric_time joins to it) and of BI.
-- Published with the marts, so the semantic layer can run on the serving file alone.
select
    cast(date_day as date) as date_day,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
    cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
    cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start
from ({{ date_range("cast('2000-01-01' as date)", "cast('2099-12-31' as date)") }}) as days
