SELECT TO_JSON_STRING(state) AS state FROM `proj.raw._mart_extract_state` WHERE stream = 'shop.orders'
