{{ select_rejects(
    'base_crm__contacts', 'raw_crm_contacts', 'contact_id',
    ['lifecycle_status', 'created_at_raw', 'updated_at_raw', 'consent_at_raw']
) }}
