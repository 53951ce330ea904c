select * from {{ ref('eph_mid') }}
