{#-
    Seeds on Spark. dbt-spark's session method binds seed values by pasting
    "'" ~ value ~ "'" into the SQL: an empty CSV field (None) loads as the
    text 'None', a quote in a value breaks the statement, and Spark reads a
    backslash in a literal as an escape. This override (found first through
    the dispatch search order of the dbt namespace, dbt_project.yml) writes
    the literals itself: null for an empty field, every other value as a
    Spark string literal with backslashes and quotes escaped, cast to the
    column's type (our seeds are all text, column_types in seeds/_seeds.yml).
    The same rows as DuckDB's seeds, value for value.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}


{#- One seed value as a Spark SQL literal: null, or a quoted string with \ and ' escaped. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
