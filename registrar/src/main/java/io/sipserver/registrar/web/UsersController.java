package io.sipserver.registrar.web;

import io.sipserver.config.SipProperties;
import io.sipserver.registrar.AddressOfRecord;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.User;
import io.sipserver.registrar.UserService;
import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users: create, list, show, delete. Deleting a user also removes the registrations of its AOR. */
@RestController
@RequestMapping("/api/users")
public class UsersController {

    private final UserService users;
    private final LocationService locations;
    private final SipProperties sip;

    public UsersController(UserService users, LocationService locations, SipProperties sip) {
        this.users = users;
        this.locations = locations;
        this.sip = sip;
    }

    @PostMapping
    public ResponseEntity<UserView> create(@RequestBody NewUser body) {
        User user = users.create(body.username(), body.password());
        // Usernames are limited to URL-safe characters, so the name goes into the path as it is.
        return ResponseEntity.created(URI.create("/api/users/" + user.username())).body(new UserView(user.username()));
    }

    @GetMapping
    public List<UserView> list() {
        return users.list().stream().map(u -> new UserView(u.username())).toList();
    }

    @GetMapping("/{username}")
    public UserView get(@PathVariable String username) {
        return users.find(username).map(u -> new UserView(u.username()))
                .orElseThrow(() -> noSuchUser(username));
    }

    @DeleteMapping("/{username}")
    public CompletableFuture<ResponseEntity<Void>> delete(@PathVariable String username) {
        if (!users.delete(username)) {
            throw noSuchUser(username);
        }
        return locations.remove(AddressOfRecord.of(username, sip.domain()))
                .thenApply(removed -> ResponseEntity.noContent().build());
    }

    private static NoSuchElementException noSuchUser(String username) {
        return new NoSuchElementException("no user '" + username + "'");
    }
}
