package dev.cnnlab.tracker.job;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code cnnlab.workers} threads, each claiming and running one job at a time. Tests set it to 0
 * and call {@link #runOnce} themselves. While a job runs, a heartbeat extends its lease every
 * third of the lease and picks up cancel requests, which the fold sees before its next batch.
 */
@ApplicationScoped
public class JobWorker {
    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    @ConfigProperty(name = "cnnlab.workers", defaultValue = "1")
    int workers;
    @ConfigProperty(name = "cnnlab.lease-seconds", defaultValue = "60")
    int leaseSeconds;
    @ConfigProperty(name = "cnnlab.poll-seconds", defaultValue = "2")
    int pollSeconds;
    @Inject
    JobQueue queue;
    @Inject
    FoldRunner runner;

    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cnnlab-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean shuttingDown;

    void onStart(@Observes StartupEvent event) {
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::loop, "cnnlab-worker-" + i);
            threads.add(t);
            t.start();
        }
        if (workers > 0) {
            LOG.infof("%d worker thread(s), lease %d s", workers, leaseSeconds);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
        for (Thread t : threads) {
            t.interrupt();   // wakes an idle poll; a training fold stops at its next batch instead
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeats.shutdownNow();
    }

    private void loop() {
        while (!shuttingDown) {
            try {
                if (!runOnce()) {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(pollSeconds));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database may be restarting: log, wait, try again
                LOG.errorf("worker loop: %s", e.toString());
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(pollSeconds));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Claims one job and runs it here, synchronously; false when none was waiting. */
    public boolean runOnce() {
        return runOnce(null);
    }

    /** As {@link #runOnce()}, only for jobs of one experiment (null: any). */
    public boolean runOnce(Long experimentId) {
        Optional<Claim> claim = queue.claim(owner(), leaseSeconds, experimentId);
        claim.ifPresent(this::run);
        return claim.isPresent();
    }

    private void run(Claim claim) {
        AtomicReference<FoldRunner.Stop> stop = new AtomicReference<>(FoldRunner.Stop.NONE);
        long period = Math.max(1000, TimeUnit.SECONDS.toMillis(leaseSeconds) / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> {
            switch (queue.heartbeat(claim, leaseSeconds)) {
                case CANCELLED -> stop.compareAndSet(FoldRunner.Stop.NONE, FoldRunner.Stop.CANCELLED);
                case LOST -> stop.compareAndSet(FoldRunner.Stop.NONE, FoldRunner.Stop.LEASE_LOST);
                default -> { }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            runner.run(claim, () -> {
                if (shuttingDown) {
                    stop.compareAndSet(FoldRunner.Stop.NONE, FoldRunner.Stop.SHUTDOWN);
                }
                return stop.get();
            });
        } finally {
            beat.cancel(false);
        }
    }

    static String owner() {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException ignored) {
            // keep HOSTNAME
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + Thread.currentThread().getName();
    }
}
