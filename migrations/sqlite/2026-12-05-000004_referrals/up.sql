-- 第八条′ (issue 18): the supervision office refers a unit, or one of its items, to 纪检监察; the referral keeps its
-- status as the commission reports back, each step recorded.
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    item_id TEXT REFERENCES items(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    referred_by BIGINT NOT NULL REFERENCES users(id),
    referred_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_unit ON referrals(unit_id);
CREATE TABLE referral_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    by_id BIGINT NOT NULL REFERENCES users(id)
);
CREATE INDEX referral_steps_referral ON referral_steps(referral_id);
