{#- The raw-input contract (docs/raw-inputs.md), in one place: for each table, whether it may be
    absent, whether it must hold rows (holdings: without a snapshot there is no window), its
    required columns and its optional columns. create_raw_views() checks the files
    against it; staging reads only these columns (extra columns in a file are ignored). -#}
{% macro raw_table_spec() %}
    {{ return({
        'customers': {
            'optional_table': false,
            'required': ['customer_id', 'customer_name', 'id_number', 'mobile', 'birth_date',
                         'branch_id', 'onboard_date'],
            'optional': ['gender', 'household_id', 'rm_id', 'risk_profile', 'status',
                         'closed_date'],
        },
        'branches': {
            'optional_table': false,
            'required': ['branch_id', 'branch_name'],
            'optional': ['city', 'region'],
        },
        'accounts': {
            'optional_table': false,
            'required': ['account_id', 'customer_id', 'account_type', 'open_date'],
            'optional': ['close_date'],
        },
        'account_holders': {
            'optional_table': true,
            'required': ['account_id', 'customer_id', 'ownership_share'],
            'optional': [],
        },
        'instruments': {
            'optional_table': false,
            'required': ['instrument_id', 'instrument_name', 'asset_class', 'currency'],
            'optional': ['valuation_method', 'risk_level', 'rate', 'coupon_frequency',
                         'day_count', 'start_date', 'maturity_date', 'annual_premium',
                         'premium_years'],
        },
        'holdings': {
            'optional_table': false,
            'must_have_rows': true,
            'required': ['snapshot_date', 'account_id', 'instrument_id', 'quantity'],
            'optional': ['cost_amount'],
        },
        'prices': {
            'optional_table': false,
            'required': ['price_date', 'instrument_id', 'price'],
            'optional': [],
        },
        'fx_rates': {
            'optional_table': false,
            'required': ['rate_date', 'currency_from', 'currency_to', 'rate'],
            'optional': [],
        },
        'insurance_cash_values': {
            'optional_table': true,
            'required': ['instrument_id', 'policy_year', 'cash_value'],
            'optional': [],
        },
    }) }}
{% endmacro %}
