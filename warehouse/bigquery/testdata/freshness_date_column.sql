select cast(max(date(rented_at)) as timestamp) as max_loaded_at, current_timestamp() as snapshotted_at
from `proj.raw.rentals`
