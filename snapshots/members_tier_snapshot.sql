{% snapshot members_tier_snapshot %}

{{
    config(
        target_schema='snapshots',
        unique_key='member_id',
        strategy='timestamp',
        updated_at='tier_updated_at'
    )
}}

-- Type-2 history of membership tiers: each build adds a new version of a
-- member whose tier_updated_at moved since the last snapshot.
select
    member_id,
    tier,
    cast(tier_updated_at as timestamp) as tier_updated_at
from {{ source('raw', 'members') }}

{% endsnapshot %}
