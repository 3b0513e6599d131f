-- The item's stage clock and the ledger's closing and feedback columns (是否办结 … 反馈人).
ALTER TABLE items ADD COLUMN stage_due_at TIMESTAMP;
ALTER TABLE items ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE items ADD COLUMN outcome TEXT;
ALTER TABLE items ADD COLUMN result TEXT;
ALTER TABLE items ADD COLUMN told_at TIMESTAMP;
ALTER TABLE items ADD COLUMN told_by BIGINT REFERENCES users(id);
ALTER TABLE items ADD COLUMN told_how TEXT;
UPDATE items SET stage_due_at = datetime(collected_at, '+3 days') WHERE status = 'collected';
CREATE INDEX items_stage_due ON items(stage_due_at);
