package org.tlschat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code environment:} mapping of one service of docker/compose.yml, read line by line: the
 * file's own layout (two-space indents, {@code KEY: value} entries), not YAML in general.
 */
final class ComposeEnvironment {
    private static final Pattern ENTRY = Pattern.compile("^ {6}([A-Z][A-Z0-9_]*): *(.*)$");

    private ComposeEnvironment() {}

    static Map<String, String> of(Path composeFile, String service) throws IOException {
        List<String> lines = Files.readAllLines(composeFile);
        int at = lines.indexOf("  " + service + ":");
        if (at < 0) {
            throw new AssertionError(composeFile + " has no service '" + service + "'");
        }
        while (++at < lines.size() && !lines.get(at).equals("    environment:")) {
            if (indent(lines.get(at)) <= 2) {
                throw new AssertionError("service '" + service + "' of " + composeFile + " has no environment:");
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        while (++at < lines.size() && indent(lines.get(at)) >= 6) {
            Matcher entry = ENTRY.matcher(lines.get(at));
            if (entry.matches()) {
                environment.put(entry.group(1), unquote(entry.group(2).trim()));
            }
        }
        return environment;
    }

    /** Leading spaces; blank and comment lines count as deeply indented (they end nothing). */
    private static int indent(String line) {
        String stripped = line.stripLeading();
        return stripped.isEmpty() || stripped.startsWith("#") ? Integer.MAX_VALUE : line.length() - stripped.length();
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
