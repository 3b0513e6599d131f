-- The collection routines of 第六条: the grid's visit registers and visits, meetings at the stations, reception days
-- with their schedule and records, and the links from an item to where it was raised.
CREATE TABLE visit_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_id BIGINT NOT NULL REFERENCES org_units(id),
    register TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    note TEXT,
    active BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX visit_targets_grid ON visit_targets(grid_id, register);

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    grid_id BIGINT NOT NULL REFERENCES org_units(id),
    visitor_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    target_id BIGINT REFERENCES visit_targets(id),
    visited_at TIMESTAMP NOT NULL,
    -- The day it counts for, in the city's time zone.
    day DATE NOT NULL,
    note TEXT NOT NULL,
    photo_id TEXT REFERENCES item_photos(id),
    -- SHA-256 of the create request, so a retried create can be told from a different one with the same id.
    request_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX visits_grid_day ON visits(grid_id, day);
CREATE INDEX visits_target ON visits(target_id, day);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    station_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL,
    held_on DATE NOT NULL,
    -- JSON: [{category, count, names}]
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    request_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meetings_station ON meetings(station_id, held_on);

CREATE TABLE reception_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id BIGINT NOT NULL REFERENCES users(id),
    station_id BIGINT NOT NULL REFERENCES org_units(id),
    -- Every week on this weekday (1 = Monday), or once on on_date.
    weekday INTEGER,
    on_date DATE,
    active BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reception_plans_station ON reception_plans(station_id);

CREATE TABLE receptions (
    id TEXT PRIMARY KEY,
    station_id BIGINT NOT NULL REFERENCES org_units(id),
    host_id BIGINT NOT NULL REFERENCES users(id),
    held_on DATE NOT NULL,
    residents INTEGER NOT NULL,
    notes TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    request_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX receptions_station ON receptions(station_id, held_on);

ALTER TABLE items ADD COLUMN visit_id TEXT REFERENCES visits(id);
ALTER TABLE items ADD COLUMN meeting_id TEXT REFERENCES meetings(id);
ALTER TABLE items ADD COLUMN reception_id TEXT REFERENCES receptions(id);
ALTER TABLE items ADD COLUMN building_leader_id BIGINT REFERENCES users(id);
ALTER TABLE items ADD COLUMN solved_on_spot BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX items_visit ON items(visit_id);
CREATE INDEX items_meeting ON items(meeting_id);
CREATE INDEX items_reception ON items(reception_id);
