DROP TABLE report_receipts;
