{#- Every var of dbt_project.yml is in exactly one of these two lists
    (pytests/test_restating_vars.py fails otherwise), so a new var cannot silently change the
    day facts without restating them.
    restating_vars: the vars whose value changes what the incremental day facts hold; their
    values are part of the configuration fingerprint (int_input_fingerprints), so changing one
    restates every day on the next run. -#}
{% macro restating_vars() -%}
    {{ return([
        'raw_data_path', 'reporting_currency', 'insurance_basis', 'fx_max_age_days',
        'valuation_start_date', 'valuation_end_date', 'fx_cross_currency',
        'default_accrual_day_count',
    ]) }}
{%- endmacro %}

{#- vars_not_restating: the other vars, each with the reason no day fact needs restating when it
    changes. -#}
{% macro vars_not_restating() -%}
    {{ return({
        'tier_basis': 'read by int_customer_tier_inputs only; the tier models are tables rebuilt whole on every run',
        'ownership_share_tolerance': 'read by the shares_sum_to_one test only',
        'snapshot_drop_threshold': 'read by the assert_no_sudden_snapshot_drop test only',
        'snapshot_drop_severity': 'read by the assert_no_sudden_snapshot_drop test only',
        'analysis_month': 'read by the example analyses only',
        'primary_key_test_macros': 'read by dbt-project-evaluator only (run ad hoc)',
    }) }}
{%- endmacro %}

{#- dbt run-operation print_var_restatement: both lists as JSON, for the test. -#}
{% macro print_var_restatement() -%}
    {{ print(tojson({'restating': restating_vars(), 'not_restating': vars_not_restating()})) }}
{%- endmacro %}
