package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The checks every option object of a spec shares, such as {@code "pruning"} and {@code "search"}: it is an
 * object, it names only known fields, and its {@code kind} is the one supported.
 */
public final class SpecOption {
    private SpecOption() {
    }

    /**
     * Checks {@code node}, the spec's {@code option}; every problem goes to {@code violate(field, message)}.
     *
     * @param kind    the one {@code kind} the option supports
     * @param keys    its fields
     * @param example an example object, quoted when {@code node} is not an object
     * @return false when {@code node} is not an object (its fields were then not checked)
     */
    public static boolean check(JsonNode node, String option, String kind, List<String> keys, String example,
                                BiConsumer<String, String> violate) {
        if (!node.isObject()) {
            violate.accept(option, "must be an object such as " + example + ", got " + node);
            return false;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                violate.accept(option + "." + key, "is not a " + option + " field (known: " + keys + ")");
            }
        }
        JsonNode k = node.path("kind");
        if (!k.isTextual() || !k.asText().equals(kind)) {
            violate.accept(option + ".kind", "must be \"" + kind + "\", got " + (k.isMissingNode() ? "nothing" : k));
        }
        return true;
    }
}
