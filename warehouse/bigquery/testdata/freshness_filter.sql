select cast(max(rented_at) as timestamp) as max_loaded_at, current_timestamp() as snapshotted_at
from `proj.raw.rentals`
where store_id = 1 and rented_at >= '2026-01-01'
