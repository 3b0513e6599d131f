ALTER TABLE chases DROP COLUMN escalated_at;
ALTER TABLE chases DROP COLUMN replied_by;
ALTER TABLE chases DROP COLUMN replied_at;
ALTER TABLE chases DROP COLUMN promised_at;
ALTER TABLE chases DROP COLUMN reply;
ALTER TABLE chases DROP COLUMN answer_due_at;
