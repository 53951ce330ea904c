{{ config(materialized='view', schema='from_file', tags=['file'], pre_hook=["select 'file hook 1'", "select 'file hook 2'"], meta={'owner': 'file'}) }}
select 1 as id
