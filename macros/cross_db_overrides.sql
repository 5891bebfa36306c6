{#-
    dbt.safe_cast falls back to a plain cast on adapters that do not
    override it (dbt-duckdb does not), so an unparseable value would fail
    the whole model instead of becoming null and a reject row. These
    overrides make it a real safe cast; dbt_project.yml puts this project
    first in the dispatch search order of the dbt namespace.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
