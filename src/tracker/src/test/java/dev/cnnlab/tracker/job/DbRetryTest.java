package dev.cnnlab.tracker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which errors mean "the database is away" (retried) and which are bugs or data errors (not). */
class DbRetryTest {
    static RuntimeException wrapped(String sqlState) {
        return new IllegalStateException("cannot record epoch", new SQLException("server said no", sqlState));
    }

    @Test
    void connectionLossAndServerShutdownAreRetriedUntilTheCallGetsThrough() {
        assertTrue(DbRetry.connectionLost(wrapped("08006")), "connection failure");
        assertTrue(DbRetry.connectionLost(wrapped("08001")), "cannot connect");
        assertTrue(DbRetry.connectionLost(wrapped("57P01")), "terminating connection due to administrator command");
        assertTrue(DbRetry.connectionLost(wrapped("57P03")), "the database system is starting up");
        AtomicInteger calls = new AtomicInteger();
        String result = DbRetry.call("test", () -> {
            if (calls.incrementAndGet() < 3) {
                throw wrapped("08006");
            }
            return "stored";
        });
        assertEquals("stored", result);
        assertEquals(3, calls.get());
    }

    @Test
    void theWarningNamesTheInnermostMessage() {
        assertEquals("server said no", DbRetry.cause(wrapped("08006")));
        assertEquals("I/O error", DbRetry.cause(new IllegalStateException("cannot record epoch",
                new SQLException("I/O error", "08006", new EOFException()))), "a dropped socket's EOFException has no message");
        assertEquals("EOFException", DbRetry.cause(new EOFException()));
    }

    @Test
    void otherErrorsPassAtOnce() {
        assertFalse(DbRetry.connectionLost(wrapped("42601")), "syntax error");
        assertFalse(DbRetry.connectionLost(wrapped("23505")), "unique violation");
        assertFalse(DbRetry.connectionLost(new IllegalStateException("no SQL state")));
        AtomicInteger calls = new AtomicInteger();
        RuntimeException bug = wrapped("42601");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> DbRetry.run("test", () -> {
            calls.incrementAndGet();
            throw bug;
        })));
        assertEquals(1, calls.get());
    }
}
