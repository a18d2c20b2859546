package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Password mode: server-authenticated TLS, then AUTH checked against Argon2id hashes. */
class PasswordAuthTest {
    @RegisterExtension
    final TestServer server =
            TestServer.perTest((dir, c) -> c.authentication(Authentication.password(usersWithAlice(dir)))
                    .timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Limits.HANDSHAKE_TIMEOUT, Duration.ofSeconds(2))));

    @Test
    void theUsersFileHoldsOnlyArgon2idHashesReadableByItsOwner() throws Exception {
        Path users = server.dir().resolve("users.json");

        assertThat(Files.readString(users)).contains("$argon2id$v=19$").doesNotContain("correct horse");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users)))
                .isEqualTo("rw-------");
    }

    @Test
    void theRightPasswordOpensASession() {
        WireClient client = connectWithoutCertificate();

        assertThat(client.expect(ServerFrame.AuthRequired.class).mechanisms())
                .containsExactly(ServerFrame.AuthRequired.PASSWORD);
        client.send(new Request.Auth("a", "alice", "correct horse"));

        ServerFrame.Welcome welcome = client.expect(ServerFrame.Welcome.class);
        assertThat(welcome.user()).isEqualTo("alice");
        client.send(new Request.ListUsers("l", null));
        assertThat(client.expect(ServerFrame.Users.class).users())
                .extracting(ServerFrame.UserEntry::user)
                .containsExactly("alice");
    }

    @Test
    void everyOpBeforeAuthIsRefused() {
        WireClient client = connectWithoutCertificate();
        client.expect(ServerFrame.AuthRequired.class);

        client.send(new Request.ListUsers("1", null));

        ServerFrame.Err err = client.expectErr(ErrorCode.NOT_AUTHENTICATED);
        assertThat(err.re()).isEqualTo("1");
        assertThat(err.fatal()).isFalse();
    }

    @Test
    void threeWrongPasswordsCloseTheConnection() {
        WireClient client = connectWithoutCertificate();
        client.expect(ServerFrame.AuthRequired.class);

        client.send(new Request.Auth("1", "alice", "wrong one"));
        assertThat(client.expectErr(ErrorCode.AUTH_FAILED).fatal()).isFalse();
        client.send(new Request.Auth("2", "nobody", "wrong two"));
        ServerFrame.Err unknownUser = client.expectErr(ErrorCode.AUTH_FAILED);
        assertThat(unknownUser.message())
                .as("an unknown user reads like a wrong password")
                .isEqualTo("wrong user or password");
        client.send(new Request.Auth("3", "alice", "wrong three"));

        assertThat(client.expectErr(ErrorCode.AUTH_FAILED).fatal()).isTrue();
        client.expectClosed();
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosed() {
        WireClient client = connectWithoutCertificate();
        client.expect(ServerFrame.AuthRequired.class);

        ServerFrame.Err err = client.expectErr(ErrorCode.AUTH_TIMEOUT);

        assertThat(err.fatal()).isTrue();
        client.expectClosed();
    }

    private WireClient connectWithoutCertificate() {
        try {
            return server.connect((String) null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code dir}/users.json holding alice with the password "correct horse". */
    private static Path usersWithAlice(Path dir) throws Exception {
        Path users = dir.resolve("users.json");
        UserStore store = UserStore.open(users);
        store.put("alice", PasswordHash.hash("correct horse".toCharArray()));
        store.save();
        return users;
    }
}
