{#-
    Guard of the user's raw tables. The demo seeds load into schema raw, and
    `dbt seed` replaces a table of the same name: a user who loaded an
    export as raw.raw_orders would lose it to a demo build. Every seed table
    is marked when dbt loads it (mark_demo_seed, a seed post-hook); before a
    command that loads seeds, guard_raw_tables stops with a message if a raw
    table of the contract exists without that mark. Nothing is replaced.
-#}

{#- Seed post-hook: mark the table as the demo's own. -#}
{% macro mark_demo_seed() -%}
    {{ return(adapter.dispatch('mark_demo_seed', 'dm_roi')()) }}
{%- endmacro %}

{% macro default__mark_demo_seed() -%}
    comment on table {{ this }} is 'dm_roi demo seed'
{%- endmacro %}

{% macro spark__mark_demo_seed() -%}
    alter table {{ this }} set tblproperties ('dm_roi_demo_seed' = 'true')
{%- endmacro %}


{#- True when an existing table carries the demo-seed mark. -#}
{% macro is_demo_seed_table(relation) -%}
    {{ return(adapter.dispatch('is_demo_seed_table', 'dm_roi')(relation)) }}
{%- endmacro %}

{% macro default__is_demo_seed_table(relation) -%}
    {%- set result = run_query(
        "select comment from duckdb_tables() where schema_name = '" ~ relation.schema
        ~ "' and table_name = '" ~ relation.identifier ~ "'"
    ) -%}
    {{ return(result.rows | length > 0 and result.rows[0][0] == 'dm_roi demo seed') }}
{%- endmacro %}

{% macro spark__is_demo_seed_table(relation) -%}
    {%- set result = run_query("show tblproperties " ~ relation ~ " ('dm_roi_demo_seed')") -%}
    {{ return(result.rows | length > 0 and (result.rows[0][-1] | string) == 'true') }}
{%- endmacro %}


{#- on-run-start: refuse to load the seeds over raw tables that the demo did not write. -#}
{% macro guard_raw_tables() -%}
    {%- if execute and var('raw_path', none) is none -%}
        {%- set seeds_selected = [] -%}
        {%- for unique_id in selected_resources -%}
            {%- if unique_id.startswith('seed.') -%}{%- do seeds_selected.append(unique_id) -%}{%- endif -%}
        {%- endfor -%}
        {%- if seeds_selected | length > 0 -%}
            {%- for table_name in raw_contract_tables() -%}
                {%- set relation = adapter.get_relation(database=target.get('database'), schema='raw', identifier=table_name) -%}
                {%- if relation is not none and not is_demo_seed_table(relation) -%}
                    {{ exceptions.raise_compiler_error(
                        "The table " ~ relation ~ " was not loaded by the demo seeds (it may be your export): "
                        ~ "this command would replace it with the demo data, so nothing was run. "
                        ~ "Build your data without the seeds (--exclude resource_type:seed --vars '{raw_from_seeds: false}'), "
                        ~ "move your tables to another schema (raw_schema), or use another warehouse file (DBT_DUCKDB_PATH)."
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}



{#-
    Seed post-hook, after mark_demo_seed: every column of the loaded seed
    must be text named in lower case. Seed column_types match header names
    exactly, so a header written AMOUNT loads as a typed column, and the
    first unit test of staging would fail with a binder error
    (trim(INTEGER)) far from the cause. This names the seed, the column and
    the fix instead.
-#}
{% macro assert_seed_columns_are_text() -%}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- for column in adapter.get_columns_in_relation(this) -%}
            {%- if column.name != column.name | lower or not is_text_column(column) -%}
                {%- do problems.append(column.name ~ " (" ~ column.data_type ~ ")") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "Seed " ~ this.identifier ~ " (seeds/" ~ this.identifier ~ ".csv) loaded column(s) "
                ~ problems | join(", ") ~ " not as lower-case text: seeds' column_types match header names "
                ~ "exactly, so write the header as the raw contract does (lower case, e.g. amount), "
                ~ "or load the file from raw_path, where names match case-insensitively."
            ) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
