package io.echolot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the local-stack scripts of {@code docker/local} ({@code elasticsearch.sh}, {@code
 * kafka.sh}), so that the tests start the servers exactly the way the local stack does.
 *
 * <p>Each server of a test JVM lives in its own directory under {@code
 * target/it-servers/<time>-<pid>/} of the module running the tests, with the script's output next
 * to it ({@code <name>-start.log}, {@code <name>-stop.log}). The scripts get this JVM's pid as
 * {@code --owner-pid}, so the servers stop even when the JVM is killed without running its shutdown
 * hooks.
 */
final class StackScripts {

    /** Exit code of the scripts when a port is already taken (see docker/local/lib/common.sh). */
    static final int EXIT_PORT_TAKEN = 4;

    /** The system property failsafe sets to {@code <repo>/docker/local}. */
    static final String STACK_DIR_PROPERTY = "echolot.stack.dir";

    private static final String MARKER_SCRIPT = "elasticsearch.sh";
    private static final int LOG_TAIL_LINES = 60;

    /** Environment the scripts would read as defaults; the tests pass every value explicitly. */
    private static final List<String> STACK_ENVIRONMENT =
            List.of(
                    "ECHOLOT_ES_PORT",
                    "ECHOLOT_ES_TRANSPORT_PORT",
                    "ECHOLOT_KAFKA_PORT",
                    "ECHOLOT_KAFKA_CONTROLLER_PORT",
                    "ECHOLOT_RUN_DIR",
                    "ECHOLOT_T0");

    private static Path runDir;

    private StackScripts() {}

    /** The scripts' directory: the system property, else found by walking up from here. */
    static Path stackDir() {
        String property = System.getProperty(STACK_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path dir = Path.of(property).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve(MARKER_SCRIPT))) {
                return dir;
            }
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docker").resolve("local");
            if (Files.isRegularFile(candidate.resolve(MARKER_SCRIPT))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "cannot find docker/local/"
                        + MARKER_SCRIPT
                        + ": system property "
                        + STACK_DIR_PROPERTY
                        + "="
                        + property
                        + " does not point to it, and no parent of "
                        + start
                        + " contains it");
    }

    /** The directory of this test JVM's servers, created on first use. */
    static synchronized Path runDir() {
        if (runDir == null) {
            String name =
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                            + "-"
                            + ProcessHandle.current().pid();
            runDir = Path.of("target", "it-servers", name).toAbsolutePath();
            try {
                Files.createDirectories(runDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + runDir, e);
            }
        }
        return runDir;
    }

    /** A port that is free on the loopback interface right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Two distinct free ports. */
    static int[] freePorts() {
        int first = freePort();
        int second = freePort();
        while (second == first) {
            second = freePort();
        }
        return new int[] {first, second};
    }

    /** The result of one script run. */
    record Result(int exitCode, Path log) {
        boolean ok() {
            return exitCode == 0;
        }

        String tail() {
            return logTail(log, LOG_TAIL_LINES);
        }
    }

    /**
     * Runs {@code <stackDir>/<script> <args>}, its output going to {@code log}, and waits for it at
     * most {@code timeout}. A script still running then is ended with its children.
     */
    static Result run(String script, List<String> args, Path log, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(stackDir().resolve(script).toString());
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        STACK_ENVIRONMENT.forEach(environment::remove);
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Files.writeString(
                        log,
                        String.join(" ", command) + " did not finish within " + timeout + "\n",
                        StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
                return new Result(-1, log);
            }
            return new Result(process.exitValue(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** How often a start is tried again on new ports when a chosen port was taken meanwhile. */
    private static final int START_ATTEMPTS = 3;

    /**
     * Starts {@code <script> start} on two free ports ({@code --port} and {@code secondPortFlag})
     * in {@code dir}, owned by this JVM; tries new ports when one was taken in the meantime.
     *
     * @return the server's main port
     * @throws IllegalStateException naming the logs when it does not come up
     */
    static int startOnFreePorts(
            String name,
            String script,
            String secondPortFlag,
            Path dir,
            Path log,
            Duration timeout,
            Path serverLog) {
        return startOnFreePorts(
                name, script, secondPortFlag, dir, log, timeout, serverLog, List.of());
    }

    /** As above, with {@code extraArgs} after the others (e.g. SASL settings of the broker). */
    static int startOnFreePorts(
            String name,
            String script,
            String secondPortFlag,
            Path dir,
            Path log,
            Duration timeout,
            Path serverLog,
            List<String> extraArgs) {
        Result result = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int[] ports = freePorts();
            long t0 = System.nanoTime();
            result =
                    run(
                            script,
                            concat(
                                    List.of(
                                            "start",
                                            "--port",
                                            String.valueOf(ports[0]),
                                            secondPortFlag,
                                            String.valueOf(ports[1]),
                                            "--dir",
                                            dir.toString(),
                                            "--owner-pid",
                                            String.valueOf(ProcessHandle.current().pid()),
                                            "--timeout",
                                            String.valueOf(timeout.toSeconds())),
                                    extraArgs),
                            log,
                            timeout.plusSeconds(60));
            if (result.ok()) {
                System.out.printf(
                        "[echolot-test-servers] %s on 127.0.0.1:%d, started in %.1f s (%s)%n",
                        name, ports[0], (System.nanoTime() - t0) / 1e9, dir);
                return ports[0];
            }
            if (result.exitCode() != EXIT_PORT_TAKEN) {
                break;
            }
        }
        // the script stops what it started when readiness fails; this covers a script timeout
        stop(script, dir);
        throw new IllegalStateException(
                name
                        + " for the tests did not come up (exit "
                        + result.exitCode()
                        + "; script output in "
                        + log
                        + ", server log "
                        + serverLog
                        + "). Last lines:\n"
                        + result.tail());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Runs {@code <script> stop --dir <dir>}; problems are reported, never thrown. */
    static void stop(String script, Path dir) {
        Path log = dir.resolveSibling(dir.getFileName() + "-stop.log");
        Result result =
                run(script, List.of("stop", "--dir", dir.toString()), log, Duration.ofSeconds(90));
        if (!result.ok()) {
            System.err.printf(
                    "[echolot-test-servers] %s stop --dir %s failed (exit %d):%n%s%n",
                    script, dir, result.exitCode(), result.tail());
        }
    }

    static String logTail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
