package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;

/** One scrape of {@code GET /q/metrics}, parsed by a Prometheus text-format parser. */
final class Scrape {
    private static final Pattern NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");
    final Map<String, MetricFamily> families = new HashMap<>();

    static Scrape now() {
        // the Prometheus text format 0.0.4 (a client accepting anything gets OpenMetrics)
        byte[] text = given().accept("text/plain; version=0.0.4").get("/q/metrics")
                .then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain"))
                .extract().asByteArray();
        Scrape s = new Scrape();
        try {
            var parser = new TextPrometheusMetricDataParser(new ByteArrayInputStream(text));
            for (MetricFamily f; (f = parser.parse()) != null; ) {
                s.families.put(f.getName(), f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /** Prometheus naming: snake_case; counters end in _total, timers in _seconds. */
    void assertNamesFollowPrometheusRules() {
        for (MetricFamily f : families.values()) {
            assertTrue(NAME.matcher(f.getName()).matches(), f.getName());
            if (f.getType() == MetricType.COUNTER) {
                assertTrue(f.getName().endsWith("_total"), f.getName());
            }
            if (f.getType() == MetricType.HISTOGRAM) {
                assertTrue(f.getName().endsWith("_seconds") || f.getName().endsWith("_bytes"),
                        f.getName());
            }
        }
    }

    /** The sample of a family whose labels include these; null if none. */
    Metric find(String family, Map<String, String> labels) {
        MetricFamily f = families.get(family);
        if (f == null) {
            return null;
        }
        for (Metric m : f.getMetrics()) {
            if (m.getLabels().entrySet().containsAll(labels.entrySet())) {
                return m;
            }
        }
        return null;
    }

    /** A counter's or gauge's value, a histogram's count; 0 when absent. */
    double value(String family, Map<String, String> labels) {
        Metric m = find(family, labels);
        if (m instanceof Counter c) {
            return c.getValue();
        }
        if (m instanceof Gauge g) {
            return g.getValue();
        }
        if (m instanceof Histogram h) {
            return h.getSampleCount();
        }
        return 0;
    }

    List<Metric> samples(String family) {
        MetricFamily f = families.get(family);
        return f == null ? List.of() : f.getMetrics();
    }
}
