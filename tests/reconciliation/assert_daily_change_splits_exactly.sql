-- docs/marts.md#the-flow-split: financial_aum(d) - financial_aum(d-1) = market_effect + net_flow +
-- valuation_effect for every customer and day after the window's first (a missing row is 0).
with daily as (
    select
        customer_id,
        as_of_date,
        financial_aum,
        market_effect + net_flow + valuation_effect as explained_change,
        lag(as_of_date) over (partition by customer_id order by as_of_date) as previous_date,
        lag(financial_aum) over (partition by customer_id order by as_of_date) as previous_aum
    from {{ ref('fct_customer_assets_daily') }}
    -- restated days and the day before them (each is compared with its previous day)
    where as_of_date >= coalesce(
        (
            select
                case
                    when plan.restate_from > {{ date_literal_sentinel() }}
                        then cast({{ dbt.dateadd('day', -1, 'plan.restate_from') }} as date)
                    else plan.restate_from
                end
            from {{ model_relation('int_restatement_plan') }} as plan
        ),
        cast('9999-12-31' as date)
    )
)

select daily.*
from daily
inner join {{ ref('int_calendar_days') }} as calendar
    on daily.as_of_date = calendar.date_day
where not calendar.is_window_start
    and {{ restated_rows('daily.as_of_date') }}
    and abs(
        daily.financial_aum
        - case
            when daily.previous_date = cast({{ dbt.dateadd('day', -1, 'daily.as_of_date') }} as date)
                then daily.previous_aum
            else 0
        end
        - daily.explained_change
    ) > 0.0005
