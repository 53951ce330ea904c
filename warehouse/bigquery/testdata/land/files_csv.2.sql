DECLARE mart_inserted, mart_updated, mart_deleted, mart_bad_keys INT64 DEFAULT 0;
DECLARE mart_bad_key STRING;
CREATE TABLE IF NOT EXISTS `proj.raw.csv` (
  `id` INT64,
  `price` FLOAT64,
  `day` DATE,
  `note` STRING,
  `_mart_file` STRING,
  `_mart_extracted_at` TIMESTAMP
);
BEGIN
  BEGIN TRANSACTION;
  DELETE FROM `proj.raw.csv` WHERE `_mart_file` IN ('data/a.csv', 'data/b.csv');
  SET mart_deleted = @@row_count;
  SET mart_inserted = (SELECT COUNT(*) FROM `proj.raw.csv__mart_tmp_0000000000000000`);
  INSERT INTO `proj.raw.csv` (`id`, `price`, `day`, `note`, `_mart_file`, `_mart_extracted_at`)
  SELECT s.`id`, s.`price`, s.`day`, s.`note`, s.`_mart_file`, TIMESTAMP '2026-01-02 03:04:05+00' FROM `proj.raw.csv__mart_tmp_0000000000000000` AS s;
  DELETE FROM `proj.raw._mart_extract_state` WHERE stream = 'files.csv';
  INSERT INTO `proj.raw._mart_extract_state` (stream, state, updated_at) VALUES ('files.csv', PARSE_JSON('{"n":1}'), TIMESTAMP '2026-01-02 03:04:05+00');
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE;
END;
SELECT mart_inserted AS inserted, mart_updated AS updated, mart_deleted AS deleted, mart_bad_keys AS bad_keys, mart_bad_key AS bad_key
