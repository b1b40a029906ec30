-- The address mask without regular expressions (exports run it on every row): cut after the
-- first 区/县/旗 past the second character, else after the first 市, else keep three characters.
CREATE OR REPLACE FUNCTION gongshu_mask_address(v text) RETURNS text
  IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN v IS NULL THEN NULL
              ELSE left(v, coalesce(
                     least(nullif(strpos(substr(v, 3), '区'), 0), nullif(strpos(substr(v, 3), '县'), 0), nullif(strpos(substr(v, 3), '旗'), 0)) + 2,
                     nullif(strpos(substr(v, 3), '市'), 0) + 2,
                     3)) || '***' END $$;
