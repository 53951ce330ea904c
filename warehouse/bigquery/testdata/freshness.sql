select cast(max(rented_at) as timestamp) as max_loaded_at, current_timestamp() as snapshotted_at
from `proj.raw.rentals`
