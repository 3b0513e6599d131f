-- The monthly 民情专报 (附件4): a draft per street for the previous month on the 1st, numbered 第N期 per street and
-- year, edited and submitted by the street by the 5th; every saved text is kept as a version.
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    number BIGINT NOT NULL,
    status TEXT NOT NULL,
    section1 TEXT NOT NULL,
    section2 TEXT NOT NULL,
    section3 TEXT NOT NULL,
    -- JSON: the figures section 一 was drafted from
    figures TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    submitted_by BIGINT REFERENCES users(id),
    UNIQUE (street_id, year, month),
    UNIQUE (street_id, year, number)
);
CREATE TABLE report_versions (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id),
    version BIGINT NOT NULL,
    section1 TEXT NOT NULL,
    section2 TEXT NOT NULL,
    section3 TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    saved_by BIGINT REFERENCES users(id),
    UNIQUE (report_id, version)
);
