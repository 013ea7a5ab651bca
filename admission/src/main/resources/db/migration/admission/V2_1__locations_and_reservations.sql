-- Call admission control: locations (sites with a bandwidth budget) and time-windowed reservations.
-- Live usage is not stored: it is rebuilt from live calls (none after a restart).

CREATE TABLE admission_location (
    name           VARCHAR(64) NOT NULL PRIMARY KEY,
    bandwidth_kbps BIGINT                            -- NULL = unlimited
);

CREATE TABLE admission_location_cidr (
    location_name VARCHAR(64) NOT NULL REFERENCES admission_location (name) ON DELETE CASCADE,
    seq_no        INTEGER     NOT NULL,               -- keeps the order the operator gave
    cidr          VARCHAR(64) NOT NULL,
    PRIMARY KEY (location_name, seq_no)
);

CREATE TABLE admission_reservation (
    id             VARCHAR(36)              NOT NULL PRIMARY KEY,
    location_name  VARCHAR(64)              NOT NULL REFERENCES admission_location (name),
    bandwidth_kbps DOUBLE PRECISION         NOT NULL CHECK (bandwidth_kbps > 0),
    owner_name     VARCHAR(128)             NOT NULL,
    start_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    end_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CHECK (end_at > start_at)
);

CREATE INDEX admission_reservation_location ON admission_reservation (location_name, start_at);

-- The built-in location of every address outside the others; reservations may refer to it.
INSERT INTO admission_location (name, bandwidth_kbps) VALUES ('default', NULL);
