DECLARE mart_inserted, mart_updated, mart_deleted, mart_bad_keys INT64 DEFAULT 0;
DECLARE mart_bad_key STRING;
CREATE TABLE IF NOT EXISTS `proj.raw.orders` (
  `id` INT64,
  `amount` NUMERIC(12, 2),
  `note` STRING,
  `_mart_extracted_at` TIMESTAMP
);
BEGIN
  BEGIN TRANSACTION;
  SET (mart_inserted, mart_updated) = (SELECT AS STRUCT COUNTIF(t.`id` IS NULL), COUNTIF(t.`id` IS NOT NULL AND (t.`amount` IS DISTINCT FROM s.`amount` OR t.`note` IS DISTINCT FROM s.`note`)) FROM `proj.raw.orders__mart_tmp_0000000000000000` AS s LEFT JOIN `proj.raw.orders` AS t ON TO_JSON_STRING(STRUCT(s.`id`)) = TO_JSON_STRING(STRUCT(t.`id`)));
  MERGE `proj.raw.orders` AS t
  USING `proj.raw.orders__mart_tmp_0000000000000000` AS s
  ON TO_JSON_STRING(STRUCT(t.`id`)) = TO_JSON_STRING(STRUCT(s.`id`))
  WHEN MATCHED AND (t.`amount` IS DISTINCT FROM s.`amount` OR t.`note` IS DISTINCT FROM s.`note`) THEN UPDATE SET `amount` = s.`amount`, `note` = s.`note`, `_mart_extracted_at` = TIMESTAMP '2026-01-02 03:04:05+00'
  WHEN NOT MATCHED THEN INSERT (`id`, `amount`, `note`, `_mart_extracted_at`) VALUES (s.`id`, s.`amount`, s.`note`, TIMESTAMP '2026-01-02 03:04:05+00');
  DELETE FROM `proj.raw._mart_extract_state` WHERE stream = 'shop.orders';
  INSERT INTO `proj.raw._mart_extract_state` (stream, state, updated_at) VALUES ('shop.orders', PARSE_JSON('{"version":1}'), TIMESTAMP '2026-01-02 03:04:05+00');
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE;
END;
SELECT mart_inserted AS inserted, mart_updated AS updated, mart_deleted AS deleted, mart_bad_keys AS bad_keys, mart_bad_key AS bad_key
