{#-
    The lists dim_contacts and its intermediate models share (documented in
    macros/_macros.yml).
-#}

{# The CRM attributes that survive per person (most recent non-empty value). #}
{% macro contact_crm_attributes() -%}
    {{ return([
        'first_name', 'last_name', 'preferred_channel', 'source', 'campaign',
        'utm_source', 'utm_medium', 'utm_campaign', 'product_interest', 'budget',
        'timeline', 'last_action', 'flow_path', 'owner', 'next_step',
    ]) }}
{%- endmacro %}


{# The identifier types a contact carries one primary value of. #}
{% macro contact_identifier_types() -%}
    {{ return(['email', 'phone', 'handle', 'ig_user_id']) }}
{%- endmacro %}
