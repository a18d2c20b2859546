package org.tlschat.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** What a plain TCP socket of a hostile peer sees of the server. */
public final class RawSockets {
    private RawSockets() {}

    /** End of stream or a reset within {@code wait}: closed by the server. A read timeout: still open. */
    public static boolean closedWithin(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
