package org.tlschat.protocol;

import java.util.List;
import org.tlschat.protocol.ServerFrame.FrameLimits;
import org.tlschat.protocol.ServerFrame.UserEntry;

/** Test helper: one or more instances of every request and every server frame. */
public final class Samples {

    private Samples() {}

    public static List<Request> requests() {
        return List.of(
                new Request.Auth("a1", "alice", "correct horse battery staple"),
                new Request.ListUsers("1", null),
                new Request.ListUsers(null, "#ops"),
                new Request.Send("2", "bob", "hi bob"),
                new Request.Send(null, "#ops", "line one\nline \"two\" 😀"),
                new Request.Join("3", "#ops"),
                new Request.Part("4", "#ops"),
                new Request.Ping("5"),
                new Request.Ping(null),
                new Request.Quit("6"));
    }

    public static List<ServerFrame> serverFrames() {
        return List.of(
                new ServerFrame.Welcome("alice", "n1-7f3a", "n1", Limits.SERVER_NAME, new FrameLimits(65536, 8192)),
                new ServerFrame.AuthRequired(List.of(ServerFrame.AuthRequired.PASSWORD)),
                new ServerFrame.Users("1", null, List.of(new UserEntry("alice", 1), new UserEntry("bob", 2))),
                new ServerFrame.Users(null, "#ops", List.of()),
                new ServerFrame.Ok("2", "n1-000000000042"),
                new ServerFrame.Ok("3", null),
                new ServerFrame.Msg("n1-000000000042", "alice", "#ops", "hi 😀\n", "2026-11-23T10:15:30.123Z"),
                new ServerFrame.Presence("bob", PresenceEvent.JOIN, "#ops"),
                new ServerFrame.Presence("bob", PresenceEvent.OFFLINE, null),
                new ServerFrame.Pong("5"),
                new ServerFrame.Err("3", ErrorCode.NO_SUCH_USER, "mallory is not online", false),
                ServerFrame.Err.of(ErrorCode.IDLE_TIMEOUT, "idle for 90 s", null),
                ServerFrame.Bye.QUIT,
                ServerFrame.Bye.after(ErrorCode.REVOKED));
    }
}
