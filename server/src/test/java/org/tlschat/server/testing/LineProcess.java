package org.tlschat.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real child process whose stdout is collected line by line (for Awaitility to look at) and
 * whose stdin takes typed lines. Signals go to the process itself: SIGKILL, SIGSTOP, SIGCONT.
 */
public final class LineProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderrFile;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile boolean outputEnded;

    private LineProcess(String name, Process process, Path stderrFile) {
        this.name = name;
        this.process = process;
        this.stderrFile = stderrFile;
        Thread reader = new Thread(this::pump, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command}; its stderr goes to {@code stderrFile}. */
    public static LineProcess start(String name, List<String> command, Path stderrFile) throws IOException {
        Process process =
                new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
        return new LineProcess(name, process, stderrFile);
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // killed: the output simply ends
        } finally {
            outputEnded = true;
        }
    }

    /** Every stdout line so far. */
    public List<String> lines() {
        return lines;
    }

    /** True once stdout ended (the process closed it, exited or was killed): {@link #lines()} is then complete. */
    public boolean outputEnded() {
        return outputEnded;
    }

    /** What the process wrote to stderr so far. */
    public String stderr() throws IOException {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    /** The first stdout line containing {@code text}, waiting at most {@code wait}; fails with the output so far. */
    public String awaitLine(String text, Duration wait) throws IOException {
        try {
            Awaitility.await()
                    .atMost(wait)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> countLinesContaining(text) > 0 || outputEnded);
        } catch (ConditionTimeoutException e) {
            // reported below with the output
        }
        return lines.stream()
                .filter(l -> l.contains(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        name + ": no line with '" + text + "' within " + wait + (outputEnded ? " (output ended)" : "")
                                + "; stdout: " + lines + "; stderr: " + stderrOrNothing()));
    }

    private String stderrOrNothing() {
        try {
            return stderr();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    public long countLinesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    public LineProcess typeLine(String line) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return this;
    }

    /** Closes stdin: a script-mode client finishes its last command and exits. */
    public void endInput() throws IOException {
        process.getOutputStream().close();
    }

    /** The exit code, waiting at most {@code wait}; fails if it is still running. */
    public int exitCode(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + wait);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: the process may stop gracefully. */
    public void terminate() {
        process.destroy();
    }

    public void kill9() {
        process.destroyForcibly();
    }

    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + name + " failed");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
