package dev.cnnlab.tracker.job;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a worker's database call again, with backoff, while PostgreSQL cannot be reached (restarting,
 * failing over, a network cut), so a fold in training survives it; any other error passes at once.
 * Every call retried here is idempotent (an upsert, or a change guarded by the job's lease).
 */
final class DbRetry {
    private static final Logger LOG = Logger.getLogger(DbRetry.class);
    static final long FIRST_WAIT_MS = 250;
    static final long MAX_WAIT_MS = 5_000;
    /** 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting or stopping). */
    private static final Set<String> SERVER_GOING = Set.of("57P01", "57P02", "57P03");

    private DbRetry() {
    }

    /** Calls {@code action} until it gets through; an interrupt (shutdown) gives up with the last error. */
    static <T> T call(String what, Supplier<T> action) {
        long waitMs = FIRST_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (!connectionLost(e)) {
                    throw e;
                }
                LOG.warnf("%s: database unreachable (%s), try %d again in %d ms", what, cause(e), attempt + 1, waitMs);
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitMs = Math.min(MAX_WAIT_MS, waitMs * 2);
            }
        }
    }

    static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** SQLSTATE class 08 (connection exception) or the server going down, anywhere in the cause chain. */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GOING.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message in the cause chain (a dropped socket's EOFException has none), else the type. */
    static String cause(Throwable e) {
        String message = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
