-- Grain: customer_id. One row per customer with masked personal data (no raw name, ID number or
-- mobile ever reaches a mart), branch, relationship manager, household, age band as of the last
-- day of the window, latest financial AUM and current tier.
with customer_master as (
    select * from {{ ref('stg_raw__customers') }}
    where customer_id is not null
),

-- every customer of the master, and every owner of an account missing from it (客户主数据缺失,
-- listed as unknown_customer in fct_input_exceptions): their AUM is real, so they get a row with
-- unknown attributes rather than vanish from every join of a fact to this dimension
customer_ids as (
    select customer_id from customer_master
    union
    select customer_id from {{ ref('int_holding_owners') }}
),

customers as (
    select
        customer_ids.customer_id,
        customer_master.customer_name,
        customer_master.id_number,
        customer_master.mobile,
        customer_master.birth_date,
        customer_master.branch_id,
        customer_master.rm_id,
        customer_master.household_id,
        customer_master.gender,
        customer_master.risk_profile,
        customer_master.customer_status,
        customer_master.onboard_date,
        customer_master.closed_date,
        customer_master.customer_id is not null as is_in_customer_master
    from customer_ids
    left join customer_master on customer_ids.customer_id = customer_master.customer_id
),

branches as (
    select * from {{ ref('stg_raw__branches') }}
),

window_bounds as (
    select window_end_date from {{ ref('int_valuation_window') }}
),

-- the first day with holdings, from the monthly fact (one row per customer-month, each with its
-- month's first day with holdings), not the daily one: a nightly build reads thirty times fewer
-- rows here, however long the history
first_holdings as (
    select
        customer_id,
        min(first_holding_date) as first_holding_date
    from {{ ref('fct_customer_assets_monthly') }}
    where has_holdings
    group by customer_id
),

-- the figures of the window's last day (one row per customer and day)
latest_day as (
    select
        customer_id,
        financial_aum as latest_financial_aum,
        total_assets as latest_total_assets
    from {{ ref('fct_customer_assets_daily') }}
    where as_of_date = (select window_bounds.window_end_date from window_bounds)
),

current_tiers as (
    select customer_id, assigned_tier, effective_month_start, is_watch
    from (
        select
            tiers.*,
            row_number() over (partition by customer_id order by month_start desc) as recency
        from {{ ref('fct_customer_tiers_monthly') }} as tiers
    ) as ranked
    where recency = 1
),

aged as (
    select
        customers.*,
        {{ dbt.datediff('customers.birth_date', 'window_bounds.window_end_date', 'year') }}
        - case
            when {{ dbt.dateadd('year', dbt.datediff('customers.birth_date', 'window_bounds.window_end_date', 'year'), 'customers.birth_date') }}
                > window_bounds.window_end_date then 1
            else 0
        end as age_years
    from customers
    cross join window_bounds
)

select
    aged.customer_id,
    aged.branch_id,
    aged.rm_id,
    aged.household_id,
    {{ mask_name('aged.customer_name') }} as customer_name_masked,
    {{ mask_id_number('aged.id_number') }} as id_number_masked,
    {{ mask_mobile('aged.mobile') }} as mobile_masked,
    branches.branch_name,
    branches.city as branch_city,
    branches.region as branch_region,
    aged.gender,
    aged.risk_profile,
    aged.customer_status,
    case
        when aged.age_years is null then 'unknown'
        when aged.age_years < 30 then 'under_30'
        when aged.age_years < 40 then '30_39'
        when aged.age_years < 50 then '40_49'
        when aged.age_years < 60 then '50_59'
        else '60_plus'
    end as age_band,
    current_tiers.assigned_tier as current_tier,
    {{ to_money('coalesce(latest_day.latest_financial_aum, 0)') }} as latest_financial_aum,
    {{ to_money('coalesce(latest_day.latest_total_assets, 0)') }} as latest_total_assets,
    coalesce(current_tiers.is_watch, false) as is_tier_watch,
    first_holdings.first_holding_date is not null as has_ever_held,
    aged.is_in_customer_master,
    aged.onboard_date,
    aged.closed_date,
    first_holdings.first_holding_date,
    current_tiers.effective_month_start as current_tier_effective_date,
    window_bounds.window_end_date as latest_as_of_date
from aged
cross join window_bounds
left join branches on aged.branch_id = branches.branch_id
left join first_holdings on aged.customer_id = first_holdings.customer_id
left join latest_day on aged.customer_id = latest_day.customer_id
left join current_tiers on aged.customer_id = current_tiers.customer_id
