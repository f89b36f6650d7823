package dev.cnnlab.function;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sheds load rather than running out of memory: at most {@code cnnlab.max-concurrent} POSTs
 * (default twice the cores) are admitted at once, each holding its slot from reading the body to
 * the end of its prediction. Up to {@code cnnlab.max-queued} more (default 64) wait, with
 * their bodies unread, for at most {@code cnnlab.queue-timeout}; any other request gets a JSON
 * 503 with {@code Retry-After} at once. So at most max-concurrent bodies are in memory.
 */
@ApplicationScoped
public class LoadShedder {
    private static final String SLOT = "cnnlab.slot";

    @ConfigProperty(name = "cnnlab.max-concurrent")
    Optional<Integer> maxConcurrentSetting;

    @ConfigProperty(name = "cnnlab.max-queued")
    Optional<Integer> maxQueuedSetting;

    @ConfigProperty(name = "cnnlab.queue-timeout", defaultValue = "5s")
    Duration queueTimeout;

    @Inject
    FunctionMetrics metrics;

    private int maxConcurrent;
    private int maxQueued;
    // both guarded by this
    private int running;
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    private static final class Waiter {
        final RoutingContext ctx;
        final Context context = Vertx.currentContext();
        long timer;

        Waiter(RoutingContext ctx) {
            this.ctx = ctx;
        }
    }

    void install(@Observes Router router) {
        maxConcurrent = maxConcurrentSetting.orElse(2 * Runtime.getRuntime().availableProcessors());
        maxQueued = maxQueuedSetting.orElse(64);
        if (maxConcurrent < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("cnnlab.max-concurrent must be >= 1 and"
                    + " cnnlab.max-queued >= 0, got " + maxConcurrent + " and " + maxQueued);
        }
        metrics.loadShedder(this::running, this::waiting);
        // after the header checks (-5), before the body is read (-3)
        router.post().order(-4).handler(this::admit);
    }

    /** The slot of the request being served, for the prediction to hold until it is done. */
    Slot claim(RoutingContext ctx) {
        Slot slot = ctx.get(SLOT);
        if (slot == null || !slot.claim()) {
            // the client went away before its prediction started: the slot is already free
            throw new ServiceUnavailableException("request abandoned");
        }
        return slot;
    }

    private void admit(RoutingContext ctx) {
        String refusal = null;
        synchronized (this) {
            if (running < maxConcurrent) {
                running++;
            } else if (waiting.size() < maxQueued) {
                ctx.request().pause();
                Waiter w = new Waiter(ctx);
                w.timer = ctx.vertx().setTimer(queueTimeout.toMillis(), id -> timeOut(w));
                waiting.addLast(w);
                return;
            } else {
                refusal = running + " predictions running and " + waiting.size() + " waiting";
            }
        }
        if (refusal == null) {
            start(ctx);
        } else {
            metrics.shed("full");
            reject(ctx, refusal);
        }
    }

    private void timeOut(Waiter w) {
        synchronized (this) {
            if (!waiting.remove(w)) {
                return;
            }
        }
        metrics.shed("timeout");
        reject(w.ctx, "no prediction slot free within " + queueTimeout.toMillis() + " ms");
    }

    private synchronized int running() {
        return running;
    }

    private synchronized int waiting() {
        return waiting.size();
    }

    private void reject(RoutingContext ctx, String why) {
        long retryAfter = Math.max(1, (queueTimeout.toMillis() + 999) / 1000);
        if (ctx.response().closed()) {
            return;
        }
        ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
        ErrorMappers.refuse(ctx, 503, "overloaded: " + why + "; retry after " + retryAfter + " s");
    }

    private void start(RoutingContext ctx) {
        Slot slot = new Slot();
        if (ctx.response().closed()) {
            // gone while it waited: no close event will come to free the slot
            slot.requestEnded();
            return;
        }
        ctx.put(SLOT, slot);
        // a request that ends before a prediction claims its slot (refused body, client gone;
        // Vert.x calls the response's end handler on a dropped connection too)
        ctx.addEndHandler(ignored -> slot.requestEnded());
        ctx.next();
    }

    // hands the slot straight to the oldest waiting request, else frees it
    private void release() {
        Waiter next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                running--;
                return;
            }
        }
        next.context.runOnContext(v -> {
            next.ctx.vertx().cancelTimer(next.timer);
            start(next.ctx);
        });
    }

    /**
     * One admitted request's share of the limit, released exactly once: by the prediction that
     * claimed it when the prediction finishes, else when the request ends. So a client that
     * disconnects mid-prediction does not free a slot while its forward pass still runs.
     */
    final class Slot implements AutoCloseable {
        private static final int ADMITTED = 0;
        private static final int CLAIMED = 1;
        private static final int RELEASED = 2;
        private final AtomicInteger state = new AtomicInteger(ADMITTED);

        boolean claim() {
            return state.compareAndSet(ADMITTED, CLAIMED);
        }

        void requestEnded() {
            if (state.compareAndSet(ADMITTED, RELEASED)) {
                release();
            }
        }

        @Override
        public void close() {
            if (state.compareAndSet(CLAIMED, RELEASED)) {
                release();
            }
        }
    }
}
