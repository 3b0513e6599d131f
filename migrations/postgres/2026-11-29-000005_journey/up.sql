-- The journey past the community (第七条, 第八条, 附件2): dispatches to departments with their accept, return (退单),
-- extension and returned sheet (返单); the holiday table of the clocks; the direct line for major items (第三条) with
-- its notification hooks and their persisted outbox.

-- The department holding the item now, for its inbox and its scope.
ALTER TABLE items ADD COLUMN department_id BIGINT REFERENCES org_units(id);
CREATE INDEX items_department ON items(department_id, status);
CREATE INDEX items_status_due ON items(status, stage_due_at);

-- Photos of the department's result sit beside the capture photos.
ALTER TABLE item_photos ADD COLUMN purpose TEXT NOT NULL DEFAULT 'capture';

-- One row per dispatch of an item to a department; a returned one (退单) keeps its row with rejected_at set.
CREATE TABLE dispatches (
    id BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    department_id BIGINT NOT NULL REFERENCES org_units(id),
    -- JSON array of co-handling department ids
    co_department_ids TEXT NOT NULL,
    dispatched_at TIMESTAMP NOT NULL,
    dispatched_by BIGINT NOT NULL REFERENCES users(id),
    accepted_at TIMESTAMP,
    accepted_by BIGINT REFERENCES users(id),
    rejected_at TIMESTAMP,
    rejected_by BIGINT REFERENCES users(id),
    reject_reason TEXT,
    reject_note TEXT,
    due_at TIMESTAMP,
    extension_reason TEXT,
    extension_requested_at TIMESTAMP,
    extension_requested_by BIGINT REFERENCES users(id),
    extension_approved BOOLEAN,
    extension_decided_at TIMESTAMP,
    extension_decided_by BIGINT REFERENCES users(id),
    extension_note TEXT,
    returned_at TIMESTAMP,
    returned_by BIGINT REFERENCES users(id),
    solved BOOLEAN,
    solved_at TIMESTAMP,
    solved_within_10_days BOOLEAN,
    onsite BOOLEAN,
    measures_clear BOOLEAN,
    measures TEXT,
    unsolved_reason TEXT,
    countermeasures TEXT,
    signed_at TIMESTAMP,
    signed_by BIGINT REFERENCES users(id)
);
CREATE INDEX dispatches_item ON dispatches(item_id, id);
CREATE INDEX dispatches_department ON dispatches(department_id);

-- The clocks: calendar days unless working_days is on; then weekends and holidays are skipped and 调休 days count.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE holidays (
    day DATE PRIMARY KEY,
    workday BOOLEAN NOT NULL,
    name TEXT NOT NULL
);

-- Where the city's leaders, a street or a department are told: WeCom, DingTalk or a generic JSON webhook.
CREATE TABLE hooks (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Messages to hooks, written in the transaction that caused them and delivered in order per hook with retries.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    hook_id BIGINT NOT NULL REFERENCES hooks(id),
    item_id TEXT REFERENCES items(id),
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    delivered_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox(hook_id, delivered_at, id);

-- A leader told at once of a major item (直报), and when they acknowledged it.
CREATE TABLE direct_reports (
    id BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    reported_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    UNIQUE (item_id, user_id)
);
CREATE INDEX direct_reports_user ON direct_reports(user_id, acknowledged_at);

-- A reminder sent before a stage's deadline: one per item and due time, whichever instance gets there first.
CREATE TABLE reminders (
    item_id TEXT NOT NULL REFERENCES items(id),
    due_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, due_at)
);
