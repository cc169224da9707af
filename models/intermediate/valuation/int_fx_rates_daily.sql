-- Grain: currency, date_day. The rate that converts 1 unit of each instrument currency into the
-- reporting currency on each day of the window (docs/valuation.md#fx-conversion): among the
-- direct pair, the inverse pair (1 / rate) and the cross through var fx_cross_currency (each leg
-- direct or inverse, whichever is fresher; a cross is as old as its older leg), the candidate
-- with the latest rate date <= day wins, ties broken direct > inverse > cross. A rate older than
-- var fx_max_age_days is flagged is_fx_stale (the holding is then unvalued in the reporting
-- currency). Currencies with no candidate on a day get a row with a null rate. Never 1 by
-- default: only the reporting currency itself has the identity rate.
{% set reporting = var('reporting_currency') | upper %}
{% set cross = var('fx_cross_currency') | upper %}
with rates as (
    select rate_date, currency_from, currency_to, rate
    from {{ ref('stg_raw__fx_rates') }}
    where row_issue is null and currency_from <> currency_to
),

-- as-of rate of every delivered pair on every day: pair spells joined to the calendar by range
pair_spells as (
    select
        currency_from,
        currency_to,
        rate_date,
        rate,
        lead(rate_date) over (partition by currency_from, currency_to order by rate_date) as next_rate_date
    from rates
),

pair_daily as (
    select
        pair_spells.currency_from,
        pair_spells.currency_to,
        calendar.date_day,
        pair_spells.rate,
        pair_spells.rate_date
    from pair_spells
    inner join {{ ref('int_calendar_days') }} as calendar
        on pair_spells.rate_date <= calendar.date_day
        and (pair_spells.next_rate_date is null or pair_spells.next_rate_date > calendar.date_day)
),

-- every pair seen in either direction, as "1 from = rate to" with its source
oriented as (
    select currency_from, currency_to, date_day, rate, rate_date, 1 as direction_rank
    from pair_daily
    union all
    select
        currency_to as currency_from,
        currency_from as currency_to,
        date_day,
        1.0 / rate as rate,
        rate_date,
        2 as direction_rank
    from pair_daily
),

currencies as (
    select distinct currency
    from {{ ref('int_instruments_enriched') }}
    where currency is not null
),

direct_or_inverse as (
    select
        oriented.currency_from as currency,
        oriented.date_day,
        oriented.rate,
        oriented.rate_date,
        case oriented.direction_rank when 1 then 'direct' else 'inverse' end as fx_path,
        oriented.direction_rank as path_rank
    from oriented
    inner join currencies on oriented.currency_from = currencies.currency
    where oriented.currency_to = {{ sql_literal(reporting) }}
),

-- the fresher of the two ways of each cross leg (direct preferred on a tie)
legs as (
    select
        currency_from,
        currency_to,
        date_day,
        rate,
        rate_date
    from (
        select
            oriented.*,
            row_number() over (
                partition by currency_from, currency_to, date_day
                order by rate_date desc, direction_rank asc
            ) as leg_rank
        from oriented
    ) as ranked
    where leg_rank = 1
),

crossed as (
    select
        first_leg.currency_from as currency,
        first_leg.date_day,
        first_leg.rate * second_leg.rate as rate,
        least(first_leg.rate_date, second_leg.rate_date) as rate_date,
        'cross_' || lower({{ sql_literal(cross) }}) as fx_path,
        3 as path_rank
    from legs as first_leg
    inner join legs as second_leg
        on first_leg.currency_to = second_leg.currency_from
        and first_leg.date_day = second_leg.date_day
    inner join currencies on first_leg.currency_from = currencies.currency
    where first_leg.currency_to = {{ sql_literal(cross) }}
        and second_leg.currency_to = {{ sql_literal(reporting) }}
        and first_leg.currency_from <> {{ sql_literal(reporting) }}
),

candidates as (
    select * from direct_or_inverse
    union all
    select * from crossed
),

best as (
    select *
    from (
        select
            candidates.*,
            row_number() over (
                partition by currency, date_day order by rate_date desc, path_rank asc
            ) as candidate_rank
        from candidates
    ) as ranked
    where candidate_rank = 1
),

currency_days as (
    select currencies.currency, calendar.date_day
    from currencies
    cross join {{ ref('int_calendar_days') }} as calendar
)

select
    currency_days.currency,
    currency_days.date_day,
    case
        when currency_days.currency = {{ sql_literal(reporting) }} then cast(1 as {{ type_double() }})
        else best.rate
    end as fx_rate,
    case
        when currency_days.currency = {{ sql_literal(reporting) }} then currency_days.date_day
        else best.rate_date
    end as fx_rate_date,
    case
        when currency_days.currency = {{ sql_literal(reporting) }} then 'identity'
        else best.fx_path
    end as fx_path,
    case
        when currency_days.currency = {{ sql_literal(reporting) }} then 0
        else {{ dbt.datediff('best.rate_date', 'currency_days.date_day', 'day') }}
    end as fx_age_days,
    case
        when currency_days.currency = {{ sql_literal(reporting) }} then null
        when best.rate is null then 'missing_fx_rate'
        when {{ dbt.datediff('best.rate_date', 'currency_days.date_day', 'day') }} > {{ var('fx_max_age_days') | int }}
            then 'fx_rate_stale'
    end as fx_exception_reason
from currency_days
left join best
    on currency_days.currency = best.currency
    and currency_days.date_day = best.date_day
