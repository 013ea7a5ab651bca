package io.sipserver.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.config.DigestAlgorithm;
import io.sipserver.registrar.auth.DigestHashes;
import org.junit.jupiter.api.Test;

class UserServiceTest {

    private final InMemoryUserStore store = new InMemoryUserStore();
    private final UserService users = new UserService(store, "example.com");

    @Test
    void createStoresTheHa1ValuesNotThePassword() {
        User alice = users.create("alice", "s3cret");

        assertThat(alice.ha1Md5()).isEqualTo(DigestHashes.ha1(DigestAlgorithm.MD5, "alice", "example.com", "s3cret"))
                .hasSize(32);
        assertThat(alice.ha1Sha256())
                .isEqualTo(DigestHashes.ha1(DigestAlgorithm.SHA_256, "alice", "example.com", "s3cret")).hasSize(64);
        assertThat(store.loadAll()).containsExactly(alice);
        assertThat(users.find("alice")).contains(alice);
    }

    @Test
    void aSecondUserOfTheSameNameIsADuplicate() {
        users.create("alice", "s3cret");

        assertThatThrownBy(() -> users.create("alice", "other"))
                .isInstanceOf(DuplicateUserException.class).hasMessage("user 'alice' already exists");
        assertThat(store.loadAll()).hasSize(1);
    }

    @Test
    void badUsernamesAndPasswordsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> users.create(null, "x")).hasMessage("username is required");
        assertThatThrownBy(() -> users.create("al ice", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("username must be 1 to 64 characters of letters, digits and . _ ~ + -");
        assertThatThrownBy(() -> users.create("a".repeat(65), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> users.create("alice", "")).hasMessage("password is required");
        assertThatThrownBy(() -> users.create("alice", "p".repeat(129)))
                .hasMessage("password must be at most 128 characters");
        assertThatThrownBy(() -> users.create("alice", "line\nbreak"))
                .hasMessage("password must not contain control characters");
        assertThat(users.create("a.b_c~d+e-f9", "ok").username()).isEqualTo("a.b_c~d+e-f9");
    }

    @Test
    void listIsByNameAndDeleteRemovesFromStoreAndMemory() {
        users.create("carol", "x");
        users.create("alice", "x");

        assertThat(users.list()).extracting(User::username).containsExactly("alice", "carol");
        assertThat(users.delete("alice")).isTrue();
        assertThat(users.delete("alice")).isFalse();
        assertThat(users.find("alice")).isEmpty();
        assertThat(store.loadAll()).extracting(User::username).containsExactly("carol");
    }

    @Test
    void loadFillsMemoryFromTheStore() {
        User stored = new User("bob", "0".repeat(32), "0".repeat(64));
        store.insert(stored);

        users.load();

        assertThat(users.find("bob")).contains(stored);
    }
}
