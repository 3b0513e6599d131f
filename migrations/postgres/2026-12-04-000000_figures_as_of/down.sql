ALTER TABLE dispatches DROP COLUMN onsite_due_at;
DROP TABLE rating_revisions;
DROP TABLE item_states;
