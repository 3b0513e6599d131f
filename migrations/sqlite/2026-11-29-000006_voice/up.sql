-- Residents' voice (第八条, 第六条′): outcome links, ratings of items and of departments, follow-ups of dissatisfied
-- ratings, and the weekly evaluation rounds.

-- A link a resident opens without an account; only a hash of its token is kept. A new link revokes the earlier ones.
CREATE TABLE resident_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL REFERENCES items(id),
    token_hash TEXT NOT NULL UNIQUE,
    issued_at TIMESTAMP NOT NULL,
    issued_by BIGINT NOT NULL REFERENCES users(id),
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX resident_links_item ON resident_links(item_id);

-- A weekly round: one street rates one department that handled its items that week.
CREATE TABLE eval_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    department_id BIGINT NOT NULL REFERENCES org_units(id),
    week_start DATE NOT NULL,
    items BIGINT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    UNIQUE (street_id, department_id, week_start)
);

-- A rating: a resident's of an item (item_id), or a staff member's in a weekly round (round_id, rater_id).
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT UNIQUE REFERENCES items(id),
    round_id BIGINT REFERENCES eval_rounds(id),
    rater_id BIGINT REFERENCES users(id),
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    community_id BIGINT REFERENCES org_units(id),
    department_id BIGINT REFERENCES org_units(id),
    timely TEXT NOT NULL,
    attitude TEXT NOT NULL,
    result TEXT NOT NULL,
    not_solved BOOLEAN NOT NULL,
    comment TEXT,
    -- the local date it was first given: the week and month it counts in
    rated_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, rater_id)
);
CREATE INDEX ratings_period ON ratings(rated_on, department_id);

-- The follow-up of a dissatisfied rating, tracked to closure through its four steps.
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
    item_id TEXT REFERENCES items(id),
    street_id BIGINT NOT NULL REFERENCES org_units(id),
    community_id BIGINT REFERENCES org_units(id),
    department_id BIGINT REFERENCES org_units(id),
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    sent_back_at TIMESTAMP
);
CREATE TABLE follow_up_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    follow_up_id BIGINT NOT NULL REFERENCES follow_ups(id),
    step TEXT NOT NULL,
    text TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    by_id BIGINT NOT NULL REFERENCES users(id)
);
CREATE INDEX follow_up_steps_of ON follow_up_steps(follow_up_id, id);
