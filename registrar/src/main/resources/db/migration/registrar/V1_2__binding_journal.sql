-- Binding changes already acknowledged but not yet folded into sip_binding: one row per chunk of a group commit,
-- the changes in the binary form of BindingJournalCodec. A background fold writes them into sip_binding and
-- deletes them in one transaction; start-up folds what is left before loading the bindings.
CREATE TABLE sip_binding_journal (
    id      BIGINT NOT NULL PRIMARY KEY,
    changes BYTEA  NOT NULL
);
