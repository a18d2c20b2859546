package org.tlschat.client;

import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.TestServer;

/** Options and clients for a {@link TestServer}; closes every client it made. */
final class Fixtures implements AutoCloseable {
    final TestServer server;
    private final List<ChatClient> clients = new ArrayList<>();

    Fixtures(TestServer server) {
        this.server = server;
    }

    /** A users file for password mode with the given user:password pairs. */
    static Path usersFile(Path dir, String... userThenPassword) throws IOException {
        Path file = dir.resolve("users.json");
        UserStore store = UserStore.open(file);
        for (int i = 0; i < userThenPassword.length; i += 2) {
            store.put(userThenPassword[i], PasswordHash.hash(userThenPassword[i + 1].toCharArray()));
        }
        store.save();
        return file;
    }

    ClientOptions.Builder mtls(String user) {
        return mtls(server.pki().user(user));
    }

    ClientOptions.Builder mtls(TestPki.Credentials credentials) {
        return ClientOptions.builder()
                .server(server.address().getHostString(), server.address().getPort())
                .ca(server.pki().ca().layout().caCert())
                .certificate(credentials.cert(), credentials.key())
                .provider(TlsContexts.provider());
    }

    ClientOptions.Builder password(String user, String password) {
        return ClientOptions.builder()
                .server(server.address().getHostString(), server.address().getPort())
                .ca(server.pki().ca().layout().caCert())
                .password(user, password);
    }

    ChatClient connect(String user, ChatListener listener) {
        return connect(mtls(user).build(), listener);
    }

    ChatClient connect(ClientOptions options, ChatListener listener) {
        ChatClient client = ChatClient.connect(options, listener);
        clients.add(client);
        return client;
    }

    static List<SslProvider> providers() {
        return List.of(SslProvider.JDK, TlsContexts.provider());
    }

    @Override
    public void close() {
        clients.forEach(ChatClient::close);
        server.close();
    }
}
