{#-
    Project integrity (error): dq_rejects must union every rejects model of
    the project (every model named *_rejects), so that dq_rejects_any and
    dq_rejects_share see every rejected row. Fails with one row per rejects
    model that dq_rejects does not read. Checked on the dbt graph at
    compile time; the query itself reads no data.
-#}
{{ config(severity='error', tags=['data_quality']) }}

{%- set missing_models = [] -%}
{%- if execute -%}
    {%- set dq_rejects_node = graph.nodes.values() | selectattr('name', 'equalto', 'dq_rejects') | first -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
            and node.name.endswith('_rejects') and node.name != 'dq_rejects'
            and node.unique_id not in dq_rejects_node.depends_on.nodes -%}
            {%- do missing_models.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

unread_rejects_models as (

    select cast(rejects_model as {{ dbt.type_string() }}) as unread_rejects_model
    from {{ ref('dq_rejects') }}
    where 1 = 0
    {%- for model_name in missing_models %}
    union all
    select '{{ model_name }}' as unread_rejects_model
    {%- endfor %}

)

select * from unread_rejects_models
