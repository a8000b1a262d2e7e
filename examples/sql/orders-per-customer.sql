-- A stateful Flink SQL job: generated orders, counted and summed per
-- customer. It needs no connector jars (datagen and blackhole ship with
-- Flink), so it runs on any cluster; swap the tables for Kafka and JDBC
-- ones and the rest stays. ${name:-fallback} is sp's substitution (SPEC 4):
-- each environment may set example.rate, or it is 20 rows a second.
SET 'table.local-time-zone' = 'UTC';

CREATE TEMPORARY TABLE orders (
  order_id BIGINT,
  customer INT,
  amount   DOUBLE
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '${example.rate:-20}',
  'fields.customer.min' = '1',
  'fields.customer.max' = '100'
);

CREATE TEMPORARY TABLE totals (
  customer INT,
  orders   BIGINT,
  amount   DOUBLE,
  PRIMARY KEY (customer) NOT ENFORCED
) WITH ('connector' = 'blackhole');

-- The GROUP BY keeps one count and sum per customer: the state sp restores.
INSERT INTO totals
SELECT customer, COUNT(*) AS orders, SUM(amount) AS amount
FROM orders
GROUP BY customer;
