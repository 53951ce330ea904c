INSERT INTO `proj.raw.events__mart_tmp_0000000000000000` (`id`, `tags`, `info`, `v`, `at`, `_mart_file`)
SELECT `id`, `tags`, `info`, `v`, `at`, 'a.jsonl' FROM `proj.raw.events__mart_tmp_0000000000000000`
UNION ALL
SELECT `id`, CAST(NULL AS JSON), CAST(NULL AS JSON), TO_JSON(`v`), CAST(NULL AS TIMESTAMP), 'b.jsonl' FROM `proj.raw.events__mart_tmp_0000000000000000`
