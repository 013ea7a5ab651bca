package io.sipserver.registrar;

/**
 * A SIP user. Only digest HA1 values are kept, never the password.
 *
 * @param username the user part of the user's address-of-record and the digest username
 * @param ha1Md5 lowercase hex MD5(username:realm:password)
 * @param ha1Sha256 lowercase hex SHA-256(username:realm:password)
 */
public record User(String username, String ha1Md5, String ha1Sha256) {
}
