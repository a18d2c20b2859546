package org.tlschat.client.bench;

/** What a bench run measures. */
public enum Scenario {
    /** P publishers and S subscribers in one room: delivered messages per second and latency. */
    FANOUT,
    /** N pairs of sessions sending direct messages to each other. */
    DIRECT,
    /** New mutual-TLS connections per second, counted when WELCOME arrives. */
    CONNECT,
    /** C concurrent silent sessions, and the server memory they take. */
    IDLE
}
