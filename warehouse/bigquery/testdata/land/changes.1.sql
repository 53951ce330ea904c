CREATE TABLE IF NOT EXISTS `proj.raw._mart_extract_state` (stream STRING NOT NULL, state JSON NOT NULL, updated_at TIMESTAMP NOT NULL)
