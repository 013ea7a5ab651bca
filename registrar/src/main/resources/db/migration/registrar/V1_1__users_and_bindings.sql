-- Users: digest HA1 values only (H(username:realm:password)), never the password.
CREATE TABLE sip_user (
    username   VARCHAR(64) NOT NULL PRIMARY KEY,
    ha1_md5    VARCHAR(32) NOT NULL,
    ha1_sha256 VARCHAR(64) NOT NULL
);

-- Bindings of the location service (RFC 3261 section 10), with the address the REGISTER came from (NAT).
CREATE TABLE sip_binding (
    aor         VARCHAR(256)             NOT NULL,
    contact_uri VARCHAR(1024)            NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    q           DOUBLE PRECISION         NOT NULL,
    call_id     VARCHAR(256)             NOT NULL,
    cseq        BIGINT                   NOT NULL,
    source_host VARCHAR(64)              NOT NULL,
    source_port INTEGER                  NOT NULL,
    transport   VARCHAR(16)              NOT NULL,
    user_agent  VARCHAR(256),
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (aor, contact_uri)
);
