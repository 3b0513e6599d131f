-- The street leaders' own direct reports of a major item (第七条4: 通过电话、微信、短信、当面报告等方式，第一时间直接向
-- 市委书记、市长进行汇报; issue 18): how, to whom, when the report was made, who made it and when it was logged.
CREATE TABLE leader_reports (
    id BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    how TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    reported_at TIMESTAMP NOT NULL,
    note TEXT,
    by_id BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX leader_reports_item ON leader_reports(item_id);
