{#-
    Use the custom schema name as it is (raw, staging, intermediate, marts,
    test_failures) instead of dbt's default <target_schema>_<custom>, so that
    warehouse consumers read stable names such as marts.kpi_scorecard.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
