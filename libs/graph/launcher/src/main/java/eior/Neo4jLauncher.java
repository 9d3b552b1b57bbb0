// The project's own Neo4j: Community embedded, with Bolt on 127.0.0.1, started and stopped by
// libs/graph/src/server (which waits for the READY line below in the launcher's log).
package eior;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class Neo4jLauncher {
    static final String HOST = "127.0.0.1";
    static final String DATABASE = "neo4j";
    /** Transaction logs rotate at this size; the default (256 MiB) is far more than a dev store needs. */
    static final long LOG_ROTATION_BYTES = 32L * 1024 * 1024;
    static final long AVAILABLE_TIMEOUT_MS = 120_000;

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        Map<String, String> opts;
        Path home;
        int port;
        long pageCache;
        try {
            opts = parseArgs(args);
            home = Path.of(require(opts, "home")).toAbsolutePath();
            port = parsePort(require(opts, "port"));
            pageCache = parseBytes("--pagecache", opts.getOrDefault("pagecache", "256m"));
            Files.createDirectories(home);
        } catch (IllegalArgumentException | IOException e) {
            fail("bad arguments: " + e.getMessage()
                + " (usage: --home DIR --port N [--pagecache 256m])", null);
            return;
        }

        Path debugLog = home.resolve("logs").resolve("debug.log");
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // Preallocation writes ~256 MiB of empty log per database before the first transaction.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, LOG_ROTATION_BYTES)
                // Netty waits a 5 s quiet period per Bolt event loop group (two of them) before it stops:
                // 12 s per stop. Connections are closed by then, so there is nothing to wait for.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        } catch (Throwable e) {
            String reason = rootMessage(e).contains("Address already in use")
                ? "port " + port + " on " + HOST + " is already in use by another process"
                : rootMessage(e);
            fail("Neo4j did not start on " + HOST + ":" + port + ": " + reason, debugLog);
            return;
        }

        try {
            GraphDatabaseService db = dbms.database(DATABASE);
            if (!db.isAvailable(AVAILABLE_TIMEOUT_MS)) {
                throw new IllegalStateException("database '" + DATABASE + "' was not available after "
                    + AVAILABLE_TIMEOUT_MS / 1000 + " s");
            }
            if (!boltAnswers(port)) {
                throw new IllegalStateException("Bolt does not listen on " + HOST + ":" + port
                    + " although the database started (is neo4j-bolt on the classpath?)");
            }
        } catch (Throwable e) {
            dbms.shutdown();
            fail("Neo4j started but is not usable: " + rootMessage(e), debugLog);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run this hook; SIGKILL does not, and the next start recovers from the tx log.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                System.out.println("EIOR_NEO4J_STOPPED");
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "eior-neo4j-shutdown"));

        System.out.println("EIOR_NEO4J_READY bolt://" + HOST + ":" + port);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            opts.put(a.substring(2), args[++i]);
        }
        return opts;
    }

    static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    static int parsePort(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--port '" + raw + "' is not an integer from 1 to 65535");
    }

    /** "256m", "1g", "524288k" or a plain number of bytes. */
    static long parseBytes(String name, String raw) {
        Matcher m = Pattern.compile("^(\\d+)([kKmMgG]?)$").matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " '" + raw + "' is not a size like 256m or 1g");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase()) {
            case "k": return n * 1024;
            case "m": return n * 1024 * 1024;
            case "g": return n * 1024 * 1024 * 1024;
            default: return n;
        }
    }

    static boolean boltAnswers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The innermost cause says what went wrong (e.g. "Address already in use"); the outer ones say where. */
    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root != e) sb.append(" (cause: ").append(root.getClass().getSimpleName()).append(": ")
            .append(root.getMessage()).append(')');
        return sb.toString();
    }

    static void fail(String reason, Path debugLog) {
        String where = debugLog == null ? "" : "; details in " + debugLog;
        System.out.println("EIOR_NEO4J_FAILED " + reason.replace('\n', ' ') + where);
        System.out.flush();
        System.exit(1);
    }
}
