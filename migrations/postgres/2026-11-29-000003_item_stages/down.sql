DROP INDEX items_stage_due;
ALTER TABLE items DROP COLUMN told_how;
ALTER TABLE items DROP COLUMN told_by;
ALTER TABLE items DROP COLUMN told_at;
ALTER TABLE items DROP COLUMN result;
ALTER TABLE items DROP COLUMN outcome;
ALTER TABLE items DROP COLUMN closed_at;
ALTER TABLE items DROP COLUMN stage_due_at;
