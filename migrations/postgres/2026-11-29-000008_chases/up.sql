-- Chase notices (催办) of the supervision office (第八条′): to the unit holding an overdue item, at its stage.
CREATE TABLE chases (
    id BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    stage TEXT NOT NULL,
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    by_id BIGINT NOT NULL REFERENCES users(id)
);
CREATE INDEX chases_unit ON chases(unit_id, at);
CREATE INDEX chases_item ON chases(item_id);
