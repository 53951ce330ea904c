-- App events with the fields of their JSON payload pulled out. The payload is
-- a MongoDB document; which keys exist depends on event_type, so every
-- extracted column is nullable and cast with safe_cast. occurred_at may be
-- an instant (a MongoDB date, landed by mart extract): utc_timestamp keeps it
-- in UTC whatever the session's time zone.
{%- set int_fields = ['reservation_id', 'car_id', 'zone_id', 'results', 'battery_pct', 'fuel_pct', 'speed_kmh', 'rating'] %}

with source as (

    select * from {{ source('raw', 'app_events') }}

)

select
    cast(event_id as bigint) as event_id,
    cast(member_id as bigint) as member_id,
    {{ utc_timestamp('occurred_at') }} as occurred_at,
    cast({{ dbt.date_trunc('day', utc_timestamp('occurred_at')) }} as date) as event_date,
    lower(event_type) as event_type,
    {%- for field in int_fields %}
    {{ dbt.safe_cast(json_value('payload', field), 'bigint') }} as {{ field }},
    {%- endfor %}
    {{ dbt.safe_cast(json_value('payload', 'lat'), 'numeric(9, 6)') }} as lat,
    {{ dbt.safe_cast(json_value('payload', 'lon'), 'numeric(9, 6)') }} as lon,
    {{ json_value('payload', 'app_version') }} as app_version,
    {{ json_value('payload', 'os') }} as os,
    payload as payload_json
from source
{%- if target.name == 'sample' %}
-- the 'sample' target only builds the last week of events
where cast({{ utc_timestamp('occurred_at') }} as date) >= cast({{ dbt.dateadd('day', -7, as_of_timestamp()) }} as date)
{%- endif %}
