package org.tlschat.server;

/** How clients prove who they are. */
public enum AuthMode {
    /** Mutual TLS: the user is the name in the client certificate's SPIFFE identity. */
    MTLS,
    /** Server-authenticated TLS, then AUTH with a user name and an Argon2id-checked password. */
    PASSWORD
}
