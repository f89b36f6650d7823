package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellRowsTest {

    @Test
    void readsTabSeparatedRowsAndSummarizesEachMeasurement() {
        List<Row> rows = ShellRows.parse(List.of(
                "coldstart\tlaunch, jvm\tcnnlab-function\tms_to_first_prediction\tms\tfalse\t2400",
                "",
                "coldstart\tlaunch, jvm\tcnnlab-function\tms_to_first_prediction\tms\tfalse\t2600",
                "coldstart\tlaunch, jvm\tcnnlab-function\tms_to_first_prediction\tms\tfalse\t2450.5"),
                "src/bench/coldstart.sh --quick");
        assertEquals(3, rows.size());
        assertEquals(new Row("coldstart", "launch, jvm", "cnnlab-function", "ms_to_first_prediction", "ms", false,
                2600, "src/bench/coldstart.sh --quick", null), rows.get(1));
        assertEquals("launch, jvm, ms_to_first_prediction: median 2451 ms (2400..2600, n=3)\n",
                ShellRows.summary(rows).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aBadLineIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> ShellRows.parse(List.of(
                "http\tc=1\tcnnlab-function\tlatency_median\tms\tfalse\tfast"), "x"));
        assertTrue(e.getMessage().contains("not a number for c=1 latency_median: 'fast'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShellRows.parse(List.of("http\tc=1\t3"), "x"));
        assertTrue(e.getMessage().contains("separated by tabs"), e.getMessage());
    }
}
