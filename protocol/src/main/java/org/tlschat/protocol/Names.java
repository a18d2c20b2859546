package org.tlschat.protocol;

import java.util.regex.Pattern;

/** The syntax of user names, room names and message text (PROTOCOL.md §3). */
public final class Names {

    /** A user (or node) name: also the name in certificates and SPIFFE IDs, and a file name in the CA. */
    public static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    /** {@link #USER} in words, for error messages. */
    public static final String USER_RULE =
            "1-32 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
    /** A room name: {@code #} and a name like a user's, up to 64 characters after the {@code #}. */
    public static final Pattern ROOM = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,63}");

    private Names() {}

    /** True for a valid user name: 1–32 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
    public static boolean isUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** True for a valid room name: {@code #} then 1–64 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
    public static boolean isRoom(String name) {
        return name != null && ROOM.matcher(name).matches();
    }

    /** The length of a text as the protocol counts it: in Unicode code points, so an emoji counts as one. */
    public static int textLength(String text) {
        return text.codePointCount(0, text.length());
    }
}
