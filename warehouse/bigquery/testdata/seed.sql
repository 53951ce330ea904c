CREATE OR REPLACE TABLE `proj.mart.stores`
AS (
SELECT
  CAST(NULLIF(c1, '') AS INT64) AS `store_id`,
  NULLIF(c2, '') AS `name`,
  CAST(NULLIF(c3, '') AS DATE) AS `opened`,
  CAST(NULLIF(c4, '') AS NUMERIC(3,1)) AS `rating`,
  CAST(NULLIF(c5, '') AS BOOL) AS `active`,
  NULLIF(c6, '') AS `zip`,
  CAST(NULLIF(c7, '') AS DATETIME) AS `updated`
FROM `proj.mart.stores__mart_tmp_0000000000000000`
)
