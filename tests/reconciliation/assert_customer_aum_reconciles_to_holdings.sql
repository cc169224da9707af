-- On every day, the sum of customers' financial_aum equals the sum of the valued holdings
-- counted in financial_aum, after the ownership split (shares of an account sum to 1). Holdings
-- of accounts without an owner are unvalued (unowned_account), so they count on neither side; a
-- valued one would count wholly here and for no customer, and fail the test. Tolerance: half a
-- unit of the 4th decimal per published customer figure.
with holdings as (
    select
        valuations.valuation_date,
        sum(
            cast(valuations.market_value_reporting as double)
            * coalesce(owners.ownership_share, 1)
        ) as holdings_aum
    from {{ ref('fct_holding_valuations_daily') }} as valuations
    left join {{ ref('int_holding_owners') }} as owners
        on valuations.account_id = owners.account_id
    where valuations.is_valued and valuations.include_in_financial_aum
        and {{ restated_rows('valuations.valuation_date') }}
    group by valuations.valuation_date
),

customers as (
    select as_of_date, sum(financial_aum) as customers_aum, count(*) as customer_rows
    from {{ ref('fct_customer_assets_daily') }}
    where {{ restated_rows('as_of_date') }}
    group by as_of_date
)

select
    coalesce(holdings.valuation_date, customers.as_of_date) as as_of_date,
    holdings.holdings_aum,
    customers.customers_aum
from holdings
full outer join customers on holdings.valuation_date = customers.as_of_date
where abs(coalesce(holdings.holdings_aum, 0) - coalesce(customers.customers_aum, 0))
    > 0.0001 * (coalesce(customers.customer_rows, 0) + 1)
