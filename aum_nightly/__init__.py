"""The nightly job of the customer AUM project: build with dbt, then publish the marts to BI.

`aum-nightly` (aum_nightly.cli) runs the build and, only when every node succeeded, publishes
the marts into the serving DuckDB file (aum_nightly.publish). Unlike `aum_engine`, this package
depends on dbt: it drives it."""
