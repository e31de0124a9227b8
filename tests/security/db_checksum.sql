-- db_checksum.sql: one line per user table of schema public,
--   <table>|<rows>|<md5 of the rows' text in primary-key order>
-- so two runs can be compared (the whole output, or table by table).
--   psql URL -qAt -v ON_ERROR_STOP=1 -f db_checksum.sql
-- Every table is covered, including ones added by later migrations; tables
-- without a primary key are ordered by their row text.
--
-- Excluded by design (documented in malformed_e2e_test.sh):
--   cable_events rows with event_type 'fixity check': VerifyFixity appends
--     one per version it checks -- recording the check is its purpose, so a
--     probe call of VerifyFixity legitimately adds them. Every other event
--     (ingestion, deletion, validation, ...) is covered.
-- Nothing else changes on reads: no metrics, audit or log tables exist in
-- the schema (metrics are in memory, logs go to stdout).
SELECT format(
         'SELECT %L, count(*), coalesce(md5(string_agg(t::text, E''\n'' '
         'ORDER BY %s)), ''-'') FROM %I.%I t%s',
         c.relname,
         coalesce(
           (SELECT string_agg(format('t.%I', a.attname), ', '
                              ORDER BY k.ord)
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a
              ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = c.oid AND i.indisprimary),
           't::text'),
         n.nspname, c.relname,
         CASE c.relname
           WHEN 'cable_events' THEN ' WHERE t.event_type <> ''fixity check'''
           ELSE ''
         END)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname
\gexec
