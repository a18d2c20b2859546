package org.tlschat.client.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import org.tlschat.protocol.HostPort;

/**
 * A hand-made TLS 1.1 ClientHello (version 0x0302, no supported_versions extension, classic CBC
 * suites), because neither the JDK nor OpenSSL 3 will offer TLS 1.1 any more. The server must not
 * answer with a ServerHello.
 */
final class LegacyClientHello {
    private static final int HANDSHAKE = 0x16;
    private static final int ALERT = 0x15;
    private static final int SERVER_HELLO = 0x02;

    private LegacyClientHello() {}

    /** "alert 70 (protocol_version)", "closed", or "SERVER_HELLO" when the server accepted TLS 1.1. */
    static String send(HostPort server) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.host(), server.port()), (int) Probe.READ_WAIT.toMillis());
            socket.setSoTimeout((int) Probe.READ_WAIT.toMillis());
            socket.getOutputStream().write(record());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(6);
            if (header.length < 6) {
                return "closed";
            }
            if (header[0] == ALERT) {
                int description = in.read();
                return "alert " + description + (description == 70 ? " (protocol_version)" : "");
            }
            return header[0] == HANDSHAKE && header[5] == SERVER_HELLO ? "SERVER_HELLO" : "unexpected record";
        } catch (SocketTimeoutException e) {
            return "no answer";
        } catch (IOException e) {
            return "closed (" + e.getMessage() + ")";
        }
    }

    private static byte[] record() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02); // client_version TLS 1.1
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xc009, 0xc00a, 0xc013, 0xc014, 0x002f, 0x0035};
        short16(body, suites.length * 2);
        for (int suite : suites) {
            short16(body, suite);
        }
        body.write(1);
        body.write(0); // compression: null
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: P-256
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00
        }; // ec_point_formats: uncompressed
        short16(body, extensions.length);
        body.writeBytes(extensions);

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        record.write(0x03);
        record.write(0x01);
        short16(record, body.size() + 4);
        record.write(0x01); // ClientHello
        record.write(0);
        short16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }
}
