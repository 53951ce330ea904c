{% snapshot members_check %}
{{ config(target_schema='snapshots', unique_key=['member_id', 'region'], strategy='check',
          check_cols='all', hard_deletes='new_record',
          dbt_valid_to_current="cast('9999-12-31' as timestamp)") }}
-- Every column but the key is compared; a member that disappears gets a
-- deletion record, and current versions end in 9999.
select member_id, region, tier, email
from {{ ref('raw_members') }}
{% endsnapshot %}
