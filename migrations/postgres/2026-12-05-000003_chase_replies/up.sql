-- Supervision with teeth (第八条′, issue 18): a chase may go to any open item; the chased unit answers with a reply and
-- a promised date by `answer_due_at`; unanswered by then it is escalated to the unit's head (`escalated_at`).
ALTER TABLE chases ADD COLUMN answer_due_at TIMESTAMP;
ALTER TABLE chases ADD COLUMN reply TEXT;
ALTER TABLE chases ADD COLUMN promised_at TIMESTAMP;
ALTER TABLE chases ADD COLUMN replied_at TIMESTAMP;
ALTER TABLE chases ADD COLUMN replied_by BIGINT REFERENCES users(id);
ALTER TABLE chases ADD COLUMN escalated_at TIMESTAMP;
