-- --demo.reset=true (and the tests, before each test): drops the demo's tables; schema.sql and data.sql then
-- re-create and re-seed them. One script for H2 and PostgreSQL.
DROP TABLE IF EXISTS order_compensations;
DROP TABLE IF EXISTS shipments;
DROP TABLE IF EXISTS account_charges;
DROP TABLE IF EXISTS stock_reservations;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS inventory;
