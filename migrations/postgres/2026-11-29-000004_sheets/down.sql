DROP INDEX items_sheet_no;
ALTER TABLE items DROP COLUMN proposed_department_id;
ALTER TABLE items DROP COLUMN sent_by;
ALTER TABLE items DROP COLUMN sent_at;
ALTER TABLE items DROP COLUMN sheet_no;
DROP TABLE sheet_counters;
