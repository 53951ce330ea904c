DECLARE mart_inserted, mart_updated, mart_deleted, mart_bad_keys INT64 DEFAULT 0;
DECLARE mart_bad_key STRING;
ALTER TABLE `proj.raw.orders` ADD COLUMN IF NOT EXISTS `note` STRING;
BEGIN
  BEGIN TRANSACTION;
  SET (mart_inserted, mart_updated, mart_deleted) = (SELECT AS STRUCT COUNTIF(t.`id` IS NULL AND s.`_mart_op` <> 'd'), COUNTIF(t.`id` IS NOT NULL AND s.`_mart_op` <> 'd' AND (t.`amount` IS DISTINCT FROM s.`amount` OR t.`note` IS DISTINCT FROM s.`note`)), COUNTIF(t.`id` IS NOT NULL AND s.`_mart_op` = 'd') FROM (
      SELECT * EXCEPT (mart_rn) FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `_mart_seq` DESC) AS mart_rn FROM `proj.raw.orders__mart_tmp_0000000000000000`)
      WHERE mart_rn = 1
    ) AS s LEFT JOIN `proj.raw.orders` AS t ON TO_JSON_STRING(STRUCT(s.`id`)) = TO_JSON_STRING(STRUCT(t.`id`)));
  MERGE `proj.raw.orders` AS t
  USING (
      SELECT * EXCEPT (mart_rn) FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `_mart_seq` DESC) AS mart_rn FROM `proj.raw.orders__mart_tmp_0000000000000000`)
      WHERE mart_rn = 1
    ) AS s
  ON TO_JSON_STRING(STRUCT(t.`id`)) = TO_JSON_STRING(STRUCT(s.`id`))
  WHEN MATCHED AND s.`_mart_op` = 'd' THEN DELETE
  WHEN MATCHED AND NOT s.`_mart_op` = 'd' AND (t.`amount` IS DISTINCT FROM s.`amount` OR t.`note` IS DISTINCT FROM s.`note`) THEN UPDATE SET `amount` = s.`amount`, `note` = s.`note`, `_mart_extracted_at` = TIMESTAMP '2026-01-02 03:04:05+00'
  WHEN NOT MATCHED AND NOT s.`_mart_op` = 'd' THEN INSERT (`id`, `amount`, `note`, `_mart_extracted_at`) VALUES (s.`id`, s.`amount`, s.`note`, TIMESTAMP '2026-01-02 03:04:05+00');
  DELETE FROM `proj.raw._mart_extract_state` WHERE stream = 'shop.orders';
  INSERT INTO `proj.raw._mart_extract_state` (stream, state, updated_at) VALUES ('shop.orders', PARSE_JSON('{"lsn":"0/16B3748"}'), TIMESTAMP '2026-01-02 03:04:05+00');
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE;
END;
SELECT mart_inserted AS inserted, mart_updated AS updated, mart_deleted AS deleted, mart_bad_keys AS bad_keys, mart_bad_key AS bad_key
