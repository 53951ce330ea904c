DECLARE mart_inserted, mart_updated, mart_deleted, mart_bad_keys INT64 DEFAULT 0;
DECLARE mart_bad_key STRING;
BEGIN
  BEGIN TRANSACTION;
  SET mart_deleted = (SELECT COUNT(*) FROM `proj.raw.orders` AS t WHERE NOT EXISTS (SELECT 1 FROM `proj.raw.orders__mart_tmp_0000000000000000` AS s WHERE TO_JSON_STRING(STRUCT(s.`id`)) = TO_JSON_STRING(STRUCT(t.`id`))));
  DELETE FROM `proj.raw.orders` AS t WHERE NOT EXISTS (SELECT 1 FROM `proj.raw.orders__mart_tmp_0000000000000000` AS s WHERE TO_JSON_STRING(STRUCT(s.`id`)) = TO_JSON_STRING(STRUCT(t.`id`)));
  DELETE FROM `proj.raw._mart_extract_state` WHERE stream = 'shop.orders';
  INSERT INTO `proj.raw._mart_extract_state` (stream, state, updated_at) VALUES ('shop.orders', PARSE_JSON('{}'), TIMESTAMP '2026-01-02 03:04:05+00');
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE;
END;
SELECT mart_inserted AS inserted, mart_updated AS updated, mart_deleted AS deleted, mart_bad_keys AS bad_keys, mart_bad_key AS bad_key
