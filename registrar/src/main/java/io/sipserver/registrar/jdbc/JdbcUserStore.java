package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.DuplicateUserException;
import io.sipserver.registrar.User;
import io.sipserver.registrar.UserStore;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Users in table {@code sip_user}; each call is its own auto-committed statement. */
public final class JdbcUserStore implements UserStore {

    private final JdbcTemplate jdbc;

    public JdbcUserStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<User> loadAll() {
        return jdbc.query("SELECT username, ha1_md5, ha1_sha256 FROM sip_user",
                (rs, row) -> new User(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    @Override
    public void insert(User user) {
        try {
            jdbc.update("INSERT INTO sip_user (username, ha1_md5, ha1_sha256) VALUES (?, ?, ?)",
                    user.username(), user.ha1Md5(), user.ha1Sha256());
        } catch (DuplicateKeyException e) {
            throw new DuplicateUserException(user.username());
        }
    }

    @Override
    public boolean delete(String username) {
        return jdbc.update("DELETE FROM sip_user WHERE username = ?", username) > 0;
    }
}
