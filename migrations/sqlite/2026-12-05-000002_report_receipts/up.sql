-- 第七条3 (issue 18): a submitted 民情专报 is delivered to each city leader (市委书记, 市长: the 市领导 accounts), who
-- marks it read; the street and the city offices see who has read it and when.
CREATE TABLE report_receipts (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    delivered_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    PRIMARY KEY (report_id, user_id)
);
