-- Residents' personal information (issue 17): which items had the resident's name, phone and address masked, when,
-- by whom (none: the retention job) and why; and an index to find a resident's items by phone number.
CREATE TABLE personal_data_masks (
    item_id TEXT PRIMARY KEY REFERENCES items(id),
    masked_at TIMESTAMP NOT NULL,
    by_id BIGINT REFERENCES users(id),
    reason TEXT NOT NULL
);
CREATE INDEX items_resident_phone ON items(resident_phone);
