package org.tlschat.server.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Wrong passwords counted across connections, by source address (an IPv6 address counts as its
 * /64) and by account from that address. Each key has a fixed window that starts with its first
 * wrong password; once a key has had its budget of wrong passwords in the window, AUTH for it is
 * refused without a hash check until the window ends. Refusals do not extend the window, so a key
 * is free again at most one window after its first failure; a right password clears the
 * address-and-account key. At most one check per account and address is in flight at a time.
 *
 * <p>There is deliberately no lock on an account from every address: it would let anyone lock any
 * user out. Guessing from many addresses is bounded per address and, through the fair queue of
 * {@link PasswordVerifier}, cannot starve the other accounts.
 */
final class GuessThrottle {
    /** Sweep expired windows once the tables hold this many keys. */
    private static final int SWEEP_AT = 10_000;

    /** What may happen to one AUTH. */
    sealed interface Admission {}

    /** Check the password; report the verdict with {@link #checked} (or {@link #abandoned}). */
    record Admitted(String address, String pair) implements Admission {}

    /** Too many wrong passwords: refused until {@code retryAfter} has passed. */
    record Locked(Duration retryAfter, boolean wholeAddress) implements Admission {}

    /** A check for the same account from the same address is in flight. */
    record InFlight() implements Admission {}

    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    private final int perAccount;
    private final int perAddress;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();

    GuessThrottle(int perAccount, int perAddress, Duration window, LongSupplier clock) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    synchronized Admission admit(InetAddress from, String user) {
        String address = key(from);
        String pair = address + " " + user;
        if (inFlight.contains(pair)) {
            return new InFlight();
        }
        long now = clock.getAsLong();
        Window account = live(pair, now);
        if (account != null && account.failures >= perAccount) {
            return new Locked(left(account, now), false);
        }
        Window whole = live(address, now);
        if (whole != null && whole.failures >= perAddress) {
            return new Locked(left(whole, now), true);
        }
        inFlight.add(pair);
        return new Admitted(address, pair);
    }

    /** The verdict of an admitted check. */
    synchronized void checked(Admitted admitted, boolean right) {
        inFlight.remove(admitted.pair());
        if (right) {
            windows.remove(admitted.pair());
            return;
        }
        long now = clock.getAsLong();
        if (windows.size() >= SWEEP_AT) {
            sweep(now);
        }
        fail(admitted.pair(), now);
        fail(admitted.address(), now);
    }

    /** An admitted check that never ran (the pool was full, or the connection went away first). */
    synchronized void abandoned(Admitted admitted) {
        inFlight.remove(admitted.pair());
    }

    private void fail(String key, long now) {
        Window w = live(key, now);
        if (w == null) {
            w = new Window(now);
            windows.put(key, w);
        }
        w.failures++;
    }

    private Window live(String key, long now) {
        Window w = windows.get(key);
        if (w != null && now - w.start >= windowNanos) {
            windows.remove(key);
            return null;
        }
        return w;
    }

    private Duration left(Window w, long now) {
        return Duration.ofNanos(Math.max(0, w.start + windowNanos - now));
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next().start >= windowNanos) {
                it.remove();
            }
        }
    }

    /** The source address as a key; an IPv6 address stands for its /64, which one host usually holds whole. */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = address.getAddress();
            for (int i = 8; i < 16; i++) {
                prefix[i] = 0;
            }
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address == null ? "?" : address.getHostAddress();
    }
}
