{% snapshot members_tiers %}
{{ config(target_schema='snapshots', strategy='timestamp',
          updated_at='tier_updated_at', invalidate_hard_deletes=true) }}
select member_id || region as member_key, member_id, region, tier, tier_updated_at
from {{ ref('raw_members') }}
{% endsnapshot %}
