CREATE TABLE report_receipts (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    delivered_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    PRIMARY KEY (report_id, user_id)
);
INSERT INTO report_receipts (report_id, user_id, delivered_at, read_at)
    SELECT doc_id, user_id, delivered_at, read_at FROM receipts WHERE doc_kind = 'report';
DROP TABLE receipts;
DROP TABLE analysis_measures;
DROP TABLE analysis_judgements;
