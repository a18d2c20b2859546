package org.tlschat.client.audit;

import java.io.IOException;
import java.time.Duration;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;

/** Misbehaviour inside a session past WELCOME: a forged sender, an oversize frame, malformed frames. */
final class SessionAttacks {
    private SessionAttacks() {}

    /** A SEND with a "from" of its own: the MSG still names the real sender. */
    static Result spoofed(AuditTarget t) throws Exception {
        try (Probe sender = t.session("from-a");
                Probe receiver = t.session("from-b")) {
            if (sender == null) {
                return Result.skip(AuditTarget.NO_SESSION);
            }
            String target = receiver.welcome().user();
            sender.send(
                    "{\"op\":\"SEND\",\"id\":\"1\",\"to\":\"" + target + "\",\"text\":\"audit\",\"from\":\"mallory\"}");
            for (ServerFrame frame = receiver.read(); frame != null; frame = receiver.read()) {
                if (frame instanceof ServerFrame.Msg msg) {
                    return Result.passIf(msg.from().equals(sender.welcome().user()), "MSG from " + msg.from());
                }
            }
            return Result.fail("no MSG arrived");
        }
    }

    /** One frame longer than the WELCOME's max_frame. */
    static Result oversize(AuditTarget t) throws Exception {
        try (Probe probe = t.session("oversize")) {
            if (probe == null) {
                return Result.skip(AuditTarget.NO_SESSION);
            }
            probe.sendBytes(("x".repeat(probe.welcome().limits().maxFrame() + 1) + "\n").getBytes());
            return fatalAndClosed(probe, ErrorCode.FRAME_TOO_LARGE);
        }
    }

    /** {@link Limits#MAX_BAD_FRAMES} lines that are not JSON. */
    static Result malformed(AuditTarget t) throws Exception {
        try (Probe probe = t.session("malformed")) {
            if (probe == null) {
                return Result.skip(AuditTarget.NO_SESSION);
            }
            for (int i = 0; i < Limits.MAX_BAD_FRAMES; i++) {
                probe.send("{not json " + i);
            }
            return fatalAndClosed(probe, ErrorCode.TOO_MANY_ERRORS);
        }
    }

    private static Result fatalAndClosed(Probe probe, ErrorCode code) throws IOException {
        ServerFrame.Err err = probe.awaitErr(code);
        if (err == null) {
            return Result.fail("no ERR " + code);
        }
        boolean closed = probe.closedWithin(Duration.ofSeconds(5));
        return Result.passIf(
                err.fatal() && closed,
                "ERR " + code + (err.fatal() ? " (fatal)" : "") + (closed ? ", closed" : ", still open"));
    }
}
