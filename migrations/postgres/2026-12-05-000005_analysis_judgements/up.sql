-- 第七条′ and 第七条3 (issue 18): the city offices' written judgement (研判) of a month's analysis — its risks and the
-- measures proposed, each with a holder, a due date and its outcome — submitted to the city leaders like a 专报.
CREATE TABLE analysis_judgements (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    risks TEXT NOT NULL,
    written_by BIGINT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    submitted_by BIGINT REFERENCES users(id),
    UNIQUE (year, month)
);
CREATE TABLE analysis_measures (
    id BIGSERIAL PRIMARY KEY,
    judgement_id BIGINT NOT NULL REFERENCES analysis_judgements(id),
    measure TEXT NOT NULL,
    holder_id BIGINT NOT NULL REFERENCES org_units(id),
    due_on DATE NOT NULL,
    outcome TEXT,
    outcome_at TIMESTAMP,
    outcome_by BIGINT REFERENCES users(id)
);
CREATE INDEX analysis_measures_judgement ON analysis_measures(judgement_id);
-- What is delivered to the city leaders and read by them: a 专报 ('report') or a judgement ('analysis').
CREATE TABLE receipts (
    doc_kind TEXT NOT NULL,
    doc_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    delivered_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    PRIMARY KEY (doc_kind, doc_id, user_id)
);
INSERT INTO receipts (doc_kind, doc_id, user_id, delivered_at, read_at)
    SELECT 'report', report_id, user_id, delivered_at, read_at FROM report_receipts;
DROP TABLE report_receipts;
