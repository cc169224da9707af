{{ config(materialized='view') }}
-- Grain: as_of_date, customer_id, account_id, instrument_id. Each customer's share of each
-- holding-day (ownership_share applied), with the day's contribution to the flow split
-- (docs/marts.md#the-flow-split) for holdings counted in financial_aum: q = owned quantity,
-- u = reporting value / q, held = in the carried book with non-zero quantity.
--   held and valued on d-1 and d: market_effect = q(d-1) x (u(d) - u(d-1)),
--     net_flow = (q(d) - q(d-1)) x u(d)
--   valued on d only: net_flow = value(d) when not held on d-1, else valuation_effect = value(d)
--   valued on d-1 only and still held on d: valuation_effect = -value(d-1)
-- The exit case (valued on d-1, no longer held on d) lands on d+1, which has no row here:
-- exit_outflow carries -value(d) for the next day; fct_customer_assets_daily books it on d+1.
-- On the first day of the window all three are 0 (the opening book is not a flow).
{{ customer_holding_contributions() }}
