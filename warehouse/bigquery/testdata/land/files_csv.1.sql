INSERT INTO `proj.raw.csv__mart_tmp_0000000000000000` (`id`, `price`, `day`, `note`, `_mart_file`)
SELECT `id`, CAST(`price` AS FLOAT64), `day`, CAST(NULL AS STRING), 'data/a.csv' FROM `proj.raw.csv__mart_tmp_0000000000000000`
UNION ALL
SELECT `id`, `price`, CAST(NULL AS DATE), `note`, 'data/b.csv' FROM `proj.raw.csv__mart_tmp_0000000000000000`
