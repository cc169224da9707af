"""Pure valuation, flow and tier logic for the customer asset-size (客户资产规模) dbt project.

Every function here is a batch function over whole columns (numpy / pandas / Arrow in and out),
so the dbt Python models stay thin and the same code can run inside Spark pandas UDFs later.
"""

__version__ = "0.1.0"
