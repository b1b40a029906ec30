-- Check-digit and format validators as inlinable SQL functions, so a batch is validated
-- set-based inside PostgreSQL. src/lib/check-digits.ts is the reference; the pool tests check
-- these against it. Each takes text and answers false (never an error) for anything malformed.

-- GB 11714 organisation code (组织机构代码), 9 characters.
CREATE FUNCTION gongshu_valid_org_code(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[0-9A-Z]{8}[0-9X]$' THEN false
    ELSE substr('0123456789X0', 11 - ((
      (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 1, 1)) - 1) * 3
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 2, 1)) - 1) * 7
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 3, 1)) - 1) * 9
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 4, 1)) - 1) * 10
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 5, 1)) - 1) * 5
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 6, 1)) - 1) * 8
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 7, 1)) - 1) * 4
      + (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(v, 8, 1)) - 1) * 2) % 11) + 1, 1) = substr(v, 9, 1)
  END
$$;

-- GB 32100 统一社会信用代码, 18 characters, with its embedded organisation code.
CREATE FUNCTION gongshu_valid_uscc(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' THEN false
    ELSE substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (31 - ((
      (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 1, 1)) - 1) * 1
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 2, 1)) - 1) * 3
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 3, 1)) - 1) * 9
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 4, 1)) - 1) * 27
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 5, 1)) - 1) * 19
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 6, 1)) - 1) * 26
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 7, 1)) - 1) * 16
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 8, 1)) - 1) * 17
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 9, 1)) - 1) * 20
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 10, 1)) - 1) * 29
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 11, 1)) - 1) * 25
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 12, 1)) - 1) * 13
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 13, 1)) - 1) * 8
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 14, 1)) - 1) * 24
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 15, 1)) - 1) * 10
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 16, 1)) - 1) * 30
      + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(v, 17, 1)) - 1) * 28) % 31)) % 31 + 1, 1) = substr(v, 18, 1)
      AND gongshu_valid_org_code(substr(v, 9, 9))
  END
$$;

-- A calendar day written YYYY-MM-DD.
CREATE FUNCTION gongshu_valid_date(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN false
    WHEN substr(v, 1, 4)::int < 1 OR substr(v, 6, 2)::int NOT BETWEEN 1 AND 12 THEN false
    ELSE substr(v, 9, 2)::int BETWEEN 1 AND extract(day FROM make_date(substr(v, 1, 4)::int, substr(v, 6, 2)::int, 1) + interval '1 month' - interval '1 day')::int
  END
$$;

-- An ISO 8601 date-time: YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|±HH[:MM]].
CREATE FUNCTION gongshu_valid_datetime(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$' THEN false
    ELSE gongshu_valid_date(substr(v, 1, 10)) AND substr(v, 12, 2)::int < 24 AND substr(v, 15, 2)::int < 60
      AND (substr(v, 17, 1) <> ':' OR substr(v, 18, 2)::int < 60)
  END
$$;

-- GB 11643 居民身份证号码, 18 characters: check character and a real birth date from 1800.
CREATE FUNCTION gongshu_valid_id_card(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[1-9][0-9]{16}[0-9X]$' THEN false
    ELSE substr('10X98765432', ((
      (ascii(substr(v, 1, 1)) - 48) * 7
      + (ascii(substr(v, 2, 1)) - 48) * 9
      + (ascii(substr(v, 3, 1)) - 48) * 10
      + (ascii(substr(v, 4, 1)) - 48) * 5
      + (ascii(substr(v, 5, 1)) - 48) * 8
      + (ascii(substr(v, 6, 1)) - 48) * 4
      + (ascii(substr(v, 7, 1)) - 48) * 2
      + (ascii(substr(v, 8, 1)) - 48) * 1
      + (ascii(substr(v, 9, 1)) - 48) * 6
      + (ascii(substr(v, 10, 1)) - 48) * 3
      + (ascii(substr(v, 11, 1)) - 48) * 7
      + (ascii(substr(v, 12, 1)) - 48) * 9
      + (ascii(substr(v, 13, 1)) - 48) * 10
      + (ascii(substr(v, 14, 1)) - 48) * 5
      + (ascii(substr(v, 15, 1)) - 48) * 8
      + (ascii(substr(v, 16, 1)) - 48) * 4
      + (ascii(substr(v, 17, 1)) - 48) * 2) % 11) + 1, 1) = substr(v, 18, 1)
      AND substr(v, 7, 4)::int >= 1800
      AND gongshu_valid_date(substr(v, 7, 4) || '-' || substr(v, 11, 2) || '-' || substr(v, 13, 2))
  END
$$;

-- A mainland mobile number, optionally with +86 / 0086 / 86.
CREATE FUNCTION gongshu_valid_mobile(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v IS NOT NULL AND v ~ '^(?:(?:\+|00)?86[ -]?)?1[3-9][0-9]{9}$'
$$;

-- A bank card number: 12-19 digits passing the Luhn check (ISO/IEC 7812).
CREATE FUNCTION gongshu_valid_bank_card(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v !~ '^[0-9]{12,19}$' THEN false
    ELSE ((
      CASE WHEN length(v) > 0 THEN ascii(substr(v, length(v) - 0, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 1 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 1, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 2 THEN ascii(substr(v, length(v) - 2, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 3 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 3, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 4 THEN ascii(substr(v, length(v) - 4, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 5 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 5, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 6 THEN ascii(substr(v, length(v) - 6, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 7 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 7, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 8 THEN ascii(substr(v, length(v) - 8, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 9 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 9, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 10 THEN ascii(substr(v, length(v) - 10, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 11 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 11, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 12 THEN ascii(substr(v, length(v) - 12, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 13 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 13, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 14 THEN ascii(substr(v, length(v) - 14, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 15 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 15, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 16 THEN ascii(substr(v, length(v) - 16, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 17 THEN ascii(substr('0246813579', ascii(substr(v, length(v) - 17, 1)) - 47, 1)) - 48 ELSE 0 END
      + CASE WHEN length(v) > 18 THEN ascii(substr(v, length(v) - 18, 1)) - 48 ELSE 0 END) % 10) = 0
  END
$$;
