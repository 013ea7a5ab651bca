-- The journal in two halves. Group commits append to one while the fold writes the other's changes into
-- sip_binding and then empties it with TRUNCATE. Deleting the folded rows instead made H2 read each of them back,
-- keep it in the undo log and rewrite its pages: at 12,000 REGISTER/s a fold deleted about 50 MB that way and held
-- every REGISTER's 200 for seconds. Ids ascend across both halves, so start-up replays them in order.
CREATE TABLE sip_binding_journal_0 (
    id      BIGINT NOT NULL PRIMARY KEY,
    changes BYTEA  NOT NULL
);
CREATE TABLE sip_binding_journal_1 (
    id      BIGINT NOT NULL PRIMARY KEY,
    changes BYTEA  NOT NULL
);
INSERT INTO sip_binding_journal_0 (id, changes) SELECT id, changes FROM sip_binding_journal;
DROP TABLE sip_binding_journal;
