package org.tlschat.server.hub;

/** What the Hub reports to the metrics registry. */
public interface HubMetrics {
    void sessionOpened();

    void sessionClosed();

    void messageIn();

    void messagesOut(int deliveries);
}
