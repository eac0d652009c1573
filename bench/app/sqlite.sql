-- The sqlite_100k application benchmark (bench/app/run.sh), run by the
-- sqlite3 shell on a new database file: 100,000 rows inserted in one
-- transaction, an index, and queries over them.
BEGIN;
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO t SELECT x, (x * 7919) % 100003, printf('row-%06d-%x', x, x * 31) FROM c;
CREATE INDEX t_k ON t(k);
SELECT count(*), sum(k) FROM t WHERE k % 7 = 3;
SELECT count(*) FROM t a JOIN t b ON b.id = a.k WHERE a.id <= 20000;
SELECT v FROM t WHERE k BETWEEN 5000 AND 5100 ORDER BY k DESC LIMIT 3;
UPDATE t SET v = upper(v) WHERE id % 10 = 0;
SELECT count(*) FROM t WHERE v GLOB 'ROW-*';
COMMIT;
