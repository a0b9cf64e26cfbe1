INSERT INTO inventory (sku, stock, price) VALUES ('BOOK-1', 10, 12.50);
INSERT INTO inventory (sku, stock, price) VALUES ('LAMP-2', 3, 40.00);
INSERT INTO accounts (customer, balance) VALUES ('alice', 100.00);
INSERT INTO accounts (customer, balance) VALUES ('bob', 20.00);
