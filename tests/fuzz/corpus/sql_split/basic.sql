SET 'a' = 'b';
CREATE TABLE t (x INT) WITH ('connector' = 'datagen');
INSERT INTO s /*+ OPTIONS('k'='v') */ SELECT x FROM t -- c
;