-- Grain: account_id, customer_id. Who owns what share of each account: the account_holders
-- rows where an account has any, otherwise the whole account belongs to accounts.customer_id.
-- An account with no usable owner is absent, and its holdings are unvalued (unowned_account in
-- fct_holding_valuations_daily): accounts.customer_id is null and it has no account_holders
-- rows, or one of its account_holders rows has a row_issue (missing customer, unusable share).
-- Such an account is never split by its remaining rows nor handed to accounts.customer_id:
-- An account listed in account_holders belongs to those holders only
-- (docs/raw-inputs.md#account_holders).
with holder_rows as (
    select account_id, customer_id, ownership_share, row_issue
    from {{ ref('stg_raw__account_holders') }}
    where account_id is not null
),

unusable_accounts as (
    select distinct account_id
    from holder_rows
    where row_issue is not null
),

holders as (
    select holder_rows.account_id, holder_rows.customer_id, holder_rows.ownership_share
    from holder_rows
    where not exists (
        select 1
        from unusable_accounts
        where unusable_accounts.account_id = holder_rows.account_id
    )
),

sole_owners as (
    select
        accounts.account_id,
        accounts.customer_id,
        cast(1 as {{ type_double() }}) as ownership_share
    from {{ ref('stg_raw__accounts') }} as accounts
    where accounts.account_id is not null
        and accounts.customer_id is not null
        and not exists (
            select 1
            from holder_rows
            where holder_rows.account_id = accounts.account_id
        )
),

owners as (
    select
        account_id,
        customer_id,
        ownership_share,
        count(*) over (partition by account_id) > 1 as is_joint_account
    from holders
    union all
    select account_id, customer_id, ownership_share, false as is_joint_account from sole_owners
)

-- customer_key: a dense integer per customer, rebuilt every run and only for use inside one
-- run's queries (grouping 40M holding-days by an integer is a quarter cheaper than by text)
select
    account_id,
    customer_id,
    cast(dense_rank() over (order by customer_id) as integer) as customer_key,
    ownership_share,
    is_joint_account
from owners
