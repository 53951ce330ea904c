SELECT COUNT(*) FROM `proj.mart.dim_customers`
