-- Items (民情事项) with their ledger number per community, photos, and the append-only history of events.
CREATE TABLE item_counters (
    community_id BIGINT PRIMARY KEY REFERENCES org_units(id),
    last_seq BIGINT NOT NULL
);
INSERT INTO item_counters (community_id, last_seq) SELECT id, 0 FROM org_units WHERE kind = 'community';

CREATE TABLE items (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    community_id BIGINT NOT NULL REFERENCES org_units(id),
    station_id BIGINT REFERENCES org_units(id),
    grid_id BIGINT REFERENCES org_units(id),
    building_id BIGINT REFERENCES org_units(id),
    place_id BIGINT NOT NULL REFERENCES org_units(id),
    collected_at TIMESTAMP NOT NULL,
    collector_id BIGINT NOT NULL REFERENCES users(id),
    channel TEXT NOT NULL,
    source TEXT,
    item_type TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    address TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    gps_accuracy_m DOUBLE PRECISION,
    resident_name TEXT,
    resident_phone TEXT,
    callback_consent BOOLEAN NOT NULL,
    content TEXT NOT NULL,
    -- SHA-256 of the create request, so a retried create can be told from a different one with the same id.
    request_hash TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (community_id, seq)
);
-- Each scope filters by its own column and pages newest first.
CREATE INDEX items_street_time ON items(street_id, collected_at, id);
CREATE INDEX items_community_time ON items(community_id, collected_at, id);
CREATE INDEX items_station_time ON items(station_id, collected_at, id);
CREATE INDEX items_grid_time ON items(grid_id, collected_at, id);
CREATE INDEX items_collector_time ON items(collector_id, collected_at, id);
CREATE INDEX items_time ON items(collected_at, id);

CREATE TABLE item_photos (
    id TEXT PRIMARY KEY,
    -- NULL while uploaded but not yet attached: such a photo is visible to no one.
    item_id TEXT REFERENCES items(id),
    uploader_id BIGINT NOT NULL REFERENCES users(id),
    storage_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX item_photos_item ON item_photos(item_id);

CREATE TABLE item_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL REFERENCES items(id),
    at TIMESTAMP NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    -- JSON: [{"field", "before", "after"}]
    changes TEXT NOT NULL
);
CREATE INDEX item_events_item ON item_events(item_id, id);
