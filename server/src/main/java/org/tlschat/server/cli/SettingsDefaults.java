package org.tlschat.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a flag not given on the command line gets its value: the environment variable
 * {@code TLSCHAT_<FLAG>} first, then the config file ({@code flag = value} lines), then the
 * built-in default.
 */
public final class SettingsDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Properties file;

    SettingsDefaults(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /**
     * Installs the defaults on {@code command}, reading the config file named by {@code --config}
     * in {@code args} (or by TLSCHAT_CONFIG).
     */
    public static void install(CommandLine command, String[] args) {
        Map<String, String> env = System.getenv();
        String config = env.get("TLSCHAT_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                config = args[i].substring("--config=".length());
            }
        }
        command.setDefaultValueProvider(new SettingsDefaults(env, config == null ? new Properties() : load(config)));
    }

    /** The file's settings; an unreadable file gives none here, and the command reports it. */
    private static Properties load(String path) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(path))) {
            properties.load(in);
        } catch (IOException | InvalidPathException e) {
            properties.clear();
        }
        return properties;
    }

    /** The environment variable that sets {@code --some-flag}: TLSCHAT_SOME_FLAG. */
    static String variableFor(String longName) {
        return "TLSCHAT_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String fromEnv = environment.get(variableFor(option.longestName()));
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.getProperty(option.longestName().replaceFirst("^--", ""));
    }
}
