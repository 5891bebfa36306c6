{#-
    Valid cost lines whose currency has no exchange rate on or before their
    cost_month: rejected (a missing rate is never a zero cost). One row per
    cost line, shaped like the other rejects models.
-#}
with

{{ fx_rejects(
    'raw_automation_costs', ref('stg_finance__automation_costs'), ref('int_automation_costs_fx_converted'),
    'cost_id', 'cost_month', ['cost_type', 'currency', 'amount', 'cost_month']
) }}

select * from final
