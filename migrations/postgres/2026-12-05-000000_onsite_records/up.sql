-- Day 10 (第七条2, issue 18): the on-site office a department holds on an item not solved within ten days of 接单,
-- and the 现场办公会 a street or community convenes with the department and residents' representatives; each with
-- when, where, who attended (names and roles, as JSON), what was found and the measures agreed. And when the
-- department and the street were told that a dispatch reached day 10 unsolved (once per dispatch).
CREATE TABLE onsite_records (
    id BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    dispatch_id BIGINT NOT NULL REFERENCES dispatches(id),
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    held_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL,
    attendees TEXT NOT NULL,
    findings TEXT NOT NULL,
    measures TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX onsite_records_item ON onsite_records(item_id);
CREATE INDEX onsite_records_dispatch ON onsite_records(dispatch_id);
CREATE TABLE day_ten_notices (
    dispatch_id BIGINT PRIMARY KEY REFERENCES dispatches(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    told_at TIMESTAMP NOT NULL
);
