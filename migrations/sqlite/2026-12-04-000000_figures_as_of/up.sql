-- A closed month's figures are counted as of its end (issue 16). Three records make that possible:
-- 1. item_states: each item's stage as of each write (status, outcome, type, level, stage deadline), so the dashboard
--    and the analysis read an item as it stood at a month's end. Existing items get one line, their state now, from
--    their last update.
CREATE TABLE item_states (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL REFERENCES items(id),
    since TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    item_type TEXT NOT NULL,
    level TEXT NOT NULL,
    stage_due_at TIMESTAMP
);
CREATE INDEX item_states_item ON item_states(item_id, since);
INSERT INTO item_states (item_id, since, status, outcome, item_type, level, stage_due_at)
    SELECT id, updated_at, status, outcome, item_type, level, stage_due_at FROM items;
-- 2. rating_revisions: the answers a rating held before each change, and when they were replaced, so a rating
--    changed after its month closed leaves that month's 满意率 as it was and shows as a late line.
CREATE TABLE rating_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id BIGINT NOT NULL REFERENCES ratings(id),
    replaced_at TIMESTAMP NOT NULL,
    timely TEXT NOT NULL,
    attitude TEXT NOT NULL,
    result TEXT NOT NULL,
    not_solved BOOLEAN NOT NULL,
    comment TEXT
);
CREATE INDEX rating_revisions_rating ON rating_revisions(rating_id, replaced_at);
-- 3. The day-10 moment of a dispatch (第七条2), fixed by the calendar in force when it was accepted; a later change of
--    the clocks' setting does not move it. Dispatches accepted before this change have none and use today's setting.
ALTER TABLE dispatches ADD COLUMN onsite_due_at TIMESTAMP;
