package dev.cnnlab.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Fills an empty tracker database (schema made by Flyway) with a large, plausible history for
 * tracker.sh: experiments of 500 runs each (4 architectures x 5 batch sizes x 25 learning rates),
 * every run with {@code folds} folds and {@code epochs} epoch rows per fold, all generated inside
 * PostgreSQL with {@code generate_series}. 10,000 runs x 5 folds x 20 epochs = 1,000,000 epoch rows.
 *
 * <p>Statuses follow a finished sweep ({@link Status}): 92% succeeded, 3% failed, 3% cancelled, 2%
 * running. To keep the epoch row count exact, every fold has all its epochs recorded whatever its status.
 *
 * <p>Usage: {@code TrackerSeed <jdbc-url> <runs> <folds> <epochs>} (user postgres, no password).
 */
public final class TrackerSeed {
    static final int RUNS_PER_EXPERIMENT = 500;
    static final List<String> LABELS = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private TrackerSeed() {
    }

    /**
     * The run statuses the seed writes, with their share of runs in percent. The names are the tracker's
     * (its RunStatus), which the runs and folds tables' CHECK constraints enforce: a seed that names
     * another fails its insert.
     */
    enum Status {
        SUCCEEDED(92), FAILED(3), CANCELLED(3), RUNNING(2);

        final int percent;

        Status(int percent) {
            this.percent = percent;
        }

        String literal() {
            return "'" + name() + "'";
        }

        /** The status of run n: CASE WHEN n * 37 % 100 < 92 THEN 'SUCCEEDED' WHEN ... ELSE 'RUNNING' END. */
        static String ofRunN() {
            StringBuilder sql = new StringBuilder("CASE");
            int below = 0;
            Status[] all = values();
            for (int i = 0; i < all.length - 1; i++) {
                below += all[i].percent;
                sql.append(" WHEN n * 37 % 100 < ").append(below).append(" THEN ").append(all[i].literal());
            }
            return sql.append(" ELSE ").append(all[all.length - 1].literal()).append(" END").toString();
        }
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: TrackerSeed <jdbc-url> <runs> <folds> <epochs>, got "
                    + List.of(args));
        }
        int runs = Integer.parseInt(args[1]);
        int folds = Integer.parseInt(args[2]);
        int epochs = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(args[0], "postgres", "")) {
            seed(c, runs, folds, epochs);
        }
        System.out.printf("seeded %d runs, %d folds, %d epoch rows in %.1f s%n", runs, (long) runs * folds,
                (long) runs * folds * epochs, (System.nanoTime() - t0) / 1e9);
    }

    /** Inserts everything in one transaction, then VACUUM ANALYZE so the planner sees the real sizes. */
    static void seed(Connection c, int runs, int folds, int epochs) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM experiments) + (SELECT count(*) FROM runs)")) {
            rs.next();
            if (rs.getLong(1) != 0) {
                throw new IllegalStateException("the database already holds experiments or runs; seed an empty one");
            }
        }
        int experiments = (runs + RUNS_PER_EXPERIMENT - 1) / RUNS_PER_EXPERIMENT;
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.executeUpdate(sql(EXPERIMENTS, experiments, runs, folds, epochs));
            s.executeUpdate(sql(RUNS, experiments, runs, folds, epochs));
            try (PreparedStatement p = c.prepareStatement(sql(FOLDS, experiments, runs, folds, epochs))) {
                p.setString(1, perClassJson());
                p.setString(2, confusionJson());
                p.executeUpdate();
            }
            s.executeUpdate(RUN_ACCURACY);
            s.executeUpdate(sql(EPOCHS, experiments, runs, folds, epochs));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    /**
     * Fills in the sizes: {experiments}, {runs}, {folds} and {epochs} (integers, so no quoting is needed),
     * and the statuses from {@link Status}.
     */
    static String sql(String template, int experiments, int runs, int folds, int epochs) {
        return template.replace("{experiments}", String.valueOf(experiments)).replace("{runs}", String.valueOf(runs))
                .replace("{folds}", String.valueOf(folds)).replace("{epochs}", String.valueOf(epochs))
                .replace("{perExperiment}", String.valueOf(RUNS_PER_EXPERIMENT))
                .replace("{statusOfRunN}", Status.ofRunN()).replace("{succeeded}", Status.SUCCEEDED.literal())
                .replace("{failed}", Status.FAILED.literal()).replace("{running}", Status.RUNNING.literal());
    }

    static final String EXPERIMENTS = """
            INSERT INTO experiments (name, description, dataset, spec, created_at, created_by)
            SELECT 'sweep ' || e, 'seeded by TrackerSeed', '../shared/datasets/cifar10/train',
                   jsonb_build_object('name', 'sweep ' || e, 'dataset', '../shared/datasets/cifar10/train',
                       'architectures', jsonb_build_array('keras-cifar10', 'lenet5', 'vgg16-bn', 'resnet20'),
                       'batchSizes', jsonb_build_array(32, 64, 128, 256, 512),
                       'learningRates', (SELECT jsonb_agg(round((0.0001 * power(10, k / 8.0))::numeric, 6))
                                         FROM generate_series(0, 24) k),
                       'epochs', {epochs}, 'folds', {folds}, 'optimizer', 'adam', 'schedule', 'cosine',
                       'weightDecay', 0.0005, 'augmentation', 'crop-flip', 'seed', 42, 'patience', 0,
                       'subset', 0, 'heldOut', 5000, 'finalFit', false),
                   now() - make_interval(days => {experiments} - e), 'bench'
            FROM generate_series(1, {experiments}) e""";

    /**
     * Run n is grid point (n - 1) % 500 of the ((n - 1) / 500)-th experiment; its accuracy depends on
     * the grid point (architecture, batch size, learning rate) plus noise.
     */
    static final String RUNS = """
            INSERT INTO runs (experiment_id, architecture, batch_size, learning_rate, optimizer, schedule,
                              weight_decay, epochs, folds, augmentation, seed, hyperparameters, status, backend,
                              device, host, environment, labels, started_at, finished_at, test_accuracy,
                              images_per_sec, duration_seconds, error, created_at, created_by)
            SELECT (n - 1) / {perExperiment} + (SELECT min(id) FROM experiments), g.arch, g.bs, g.lr, 'adam',
                   'cosine', 0.0005, {epochs}, {folds}, 'crop-flip', 42,
                   jsonb_build_object('architecture', g.arch, 'batchSize', g.bs, 'learningRate', g.lr,
                       'optimizer', 'adam', 'schedule', 'cosine', 'weightDecay', 0.0005, 'epochs', {epochs},
                       'folds', {folds}, 'augmentation', 'crop-flip', 'seed', 42, 'patience', 0,
                       'dataset', '../shared/datasets/cifar10/train', 'subset', 0, 'heldOut', 5000),
                   g.status, 'nd4j-native onednn-avx2', 'cpu', 'bench-host',
                   jsonb_build_object('host', 'bench-host', 'backend', 'nd4j-native onednn-avx2', 'device', 'cpu',
                       'cores', 16, 'dl4jVersion', '1.0.0-M2.1', 'nd4jVersion', '1.0.0-M2.1',
                       'jvmVersion', '17.0.15', 'projectVersion', '0.1.0-SNAPSHOT'),
                   '["airplane","automobile","bird","cat","deer","dog","frog","horse","ship","truck"]'::jsonb,
                   g.started, CASE WHEN g.status <> {running} THEN g.started + make_interval(secs => g.secs) END,
                   CASE WHEN g.status = {succeeded} THEN least(0.95, g.acc + 0.01 * random()) END,
                   CASE WHEN g.status = {succeeded} THEN 1200 + 600 * random() END,
                   CASE WHEN g.status <> {running} THEN g.secs END,
                   CASE WHEN g.status = {failed} THEN 'TrainingDivergedException: loss is NaN at epoch 7' END,
                   g.started - interval '1 hour', 'bench'
            FROM generate_series(1, {runs}) n,
            LATERAL (SELECT a.arch, a.bs, a.lr, a.started, a.secs, a.status,
                            greatest(0.1, least(0.93, a.base - 0.012 * log(2, a.bs / 32.0)
                                - 0.04 * power(log(a.lr) + 2.8, 2) + 0.02 * random())) AS acc
                     FROM (SELECT (ARRAY['keras-cifar10', 'lenet5', 'vgg16-bn', 'resnet20'])[(n - 1) % 4 + 1]
                                      AS arch,
                                  (ARRAY[0.78, 0.62, 0.88, 0.86])[(n - 1) % 4 + 1] AS base,
                                  (ARRAY[32, 64, 128, 256, 512])[(n - 1) / 4 % 5 + 1] AS bs,
                                  round((0.0001 * power(10, ((n - 1) % {perExperiment} / 20) / 8.0))::numeric,
                                        6)::float8 AS lr,
                                  now() - make_interval(hours => {runs} - n) AS started,
                                  600 + 3000 * random() AS secs,
                                  {statusOfRunN} AS status) a) g""";

    /** Parameters: per_class JSON, confusion JSON. A fold's accuracy scatters around its run's. */
    static final String FOLDS = """
            INSERT INTO folds (run_id, fold_index, train_size, val_size, best_epoch, accuracy, loss, per_class,
                               confusion, status, started_at, finished_at, seconds, images_per_sec)
            SELECT r.id, k, 45000 - 45000 / {folds}, 45000 / {folds},
                   CASE WHEN r.status = {succeeded} THEN r.epochs END,
                   CASE WHEN r.status = {succeeded} THEN r.test_accuracy - 0.005 + 0.02 * (random() - 0.5) END,
                   CASE WHEN r.status = {succeeded} THEN 0.4 + random() * 0.3 END,
                   CASE WHEN r.status = {succeeded} THEN ?::jsonb END,
                   CASE WHEN r.status = {succeeded} THEN ?::jsonb END,
                   r.status, r.started_at, r.finished_at, r.duration_seconds / r.folds, r.images_per_sec
            FROM runs r, generate_series(0, r.folds - 1) k""";

    static final String RUN_ACCURACY = """
            UPDATE runs r SET mean_accuracy = a.mean, std_accuracy = a.std
            FROM (SELECT run_id, avg(accuracy) AS mean, stddev_samp(accuracy) AS std FROM folds
                  WHERE accuracy IS NOT NULL GROUP BY run_id) a
            WHERE a.run_id = r.id""";

    /** Learning curves that rise towards the run's accuracy; a cosine learning rate. */
    static final String EPOCHS = """
            INSERT INTO epoch_metrics (fold_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                                       learning_rate, seconds, images_per_sec, recorded_at)
            SELECT f.id, e, 0.3 + 2.0 * exp(-e / 5.0) + 0.05 * random(),
                   least(0.99, c.acc * (1 - exp(-e / 4.0)) + 0.05), 0.5 + 1.8 * exp(-e / 5.0) + 0.08 * random(),
                   c.acc * (1 - exp(-e / 4.0)) + 0.01 * random(),
                   r.learning_rate * 0.5 * (1 + cos(pi() * (e - 1) / {epochs})), 30 + 5 * random(),
                   1500 + 100 * random(), r.started_at + make_interval(mins => e)
            FROM folds f JOIN runs r ON r.id = f.run_id,
            LATERAL (SELECT coalesce(f.accuracy, 0.5) AS acc) c,
            generate_series(1, {epochs}) e""";

    /** A realistic per-class report: ten labels with precision, recall and f1. */
    static String perClassJson() {
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (int i = 0; i < LABELS.size(); i++) {
            double p = 0.7 + 0.02 * i;
            double r = 0.9 - 0.015 * i;
            rows.add(String.format(Locale.ROOT,
                    "{\"label\":\"%s\",\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f}",
                    LABELS.get(i), p, r, 2 * p * r / (p + r)));
        }
        return rows.toString();
    }

    /** A 10 x 10 confusion matrix of 9,000 validation images, mostly on the diagonal. */
    static String confusionJson() {
        List<String> rows = new ArrayList<>();
        for (int actual = 0; actual < LABELS.size(); actual++) {
            StringJoiner row = new StringJoiner(",", "[", "]");
            for (int predicted = 0; predicted < LABELS.size(); predicted++) {
                row.add(String.valueOf(actual == predicted ? 738 : 18));
            }
            rows.add(row.toString());
        }
        return "[" + String.join(",", rows) + "]";
    }
}
