-- The sheet 《民情速递处置反馈单》 (附件2): numbered per street and year when the community sends an item to its street.
CREATE TABLE sheet_counters (
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    year INTEGER NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (street_id, year)
);
ALTER TABLE items ADD COLUMN sheet_no TEXT;
ALTER TABLE items ADD COLUMN sent_at TIMESTAMP;
ALTER TABLE items ADD COLUMN sent_by BIGINT REFERENCES users(id);
ALTER TABLE items ADD COLUMN proposed_department_id BIGINT REFERENCES org_units(id);
CREATE UNIQUE INDEX items_sheet_no ON items(sheet_no);
