package dev.cnnlab.inference.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts {@link ModelMetadata} to and from the JSON stored under the {@code cnnlab.model}
 * metadata key, using Jackson's tree model only (no reflection, so native images need no config).
 */
public final class MetadataCodec {

    /** The operations format version 1 defines; any other op is rejected when reading. */
    public static final Set<String> OPS = Set.of(
            "conv2d", "batchnorm", "relu", "leakyrelu", "tanh", "sigmoid", "gelu", "identity",
            "maxpool", "avgpool", "globalavgpool", "flatten", "dense", "add", "softmax");

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataCodec() {
    }

    /**
     * Writes metadata as a compact JSON string.
     *
     * @param m the metadata
     * @return the JSON text
     */
    public static String toJson(ModelMetadata m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", m.name());
        root.put("architecture", m.architecture());
        ArrayNode shape = root.putArray("inputShape");
        for (int d : m.inputShape()) {
            shape.add(d);
        }
        ObjectNode norm = root.putObject("normalization");
        floats(norm.putArray("mean"), m.mean());
        floats(norm.putArray("std"), m.std());
        ArrayNode labels = root.putArray("labels");
        m.labels().forEach(labels::add);
        ArrayNode graph = root.putArray("graph");
        for (GraphNode n : m.graph()) {
            ObjectNode node = graph.addObject();
            node.put("name", n.name());
            node.put("op", n.op());
            ArrayNode inputs = node.putArray("inputs");
            n.inputs().forEach(inputs::add);
            ObjectNode params = node.putObject("params");
            new java.util.TreeMap<>(n.params()).forEach((k, v) -> params.set(k, value(v)));
        }
        ObjectNode prov = root.putObject("provenance");
        new java.util.TreeMap<>(m.provenance()).forEach(prov::put);
        if (m.testTime() != TestTimeAugmentation.NONE) {
            root.put("testTimeAugmentation", m.testTime().json());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model metadata JSON", e);
        }
    }

    /**
     * Parses and validates metadata JSON.
     *
     * @param json the text stored under {@code cnnlab.model}
     * @return the metadata
     * @throws ModelFormatException if the JSON is malformed, incomplete or names an unknown op
     */
    public static ModelMetadata fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("model description is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("model description must be a JSON object");
        }
        JsonNode norm = require(root, "normalization");
        List<String> labels = new ArrayList<>();
        for (JsonNode l : array(root, "labels")) {
            labels.add(l.asText());
        }
        List<GraphNode> graph = new ArrayList<>();
        Set<String> names = new HashSet<>();
        names.add("input");
        for (JsonNode n : array(root, "graph")) {
            String name = require(n, "name").asText();
            String op = require(n, "op").asText();
            if (!OPS.contains(op)) {
                throw new ModelFormatException("unknown op '" + op + "' in node '" + name
                        + "' (known: " + new java.util.TreeSet<>(OPS) + ")");
            }
            List<String> inputs = new ArrayList<>();
            for (JsonNode in : array(n, "inputs")) {
                if (!names.contains(in.asText())) {
                    throw new ModelFormatException("node '" + name + "' reads '" + in.asText()
                            + "', which is not an earlier node");
                }
                inputs.add(in.asText());
            }
            if (!names.add(name)) {
                throw new ModelFormatException("duplicate node name '" + name + "'");
            }
            Map<String, Object> params = new LinkedHashMap<>();
            JsonNode p = n.get("params");
            if (p != null && p.isObject()) {
                p.fields().forEachRemaining(e -> params.put(e.getKey(), javaValue(e.getValue())));
            }
            graph.add(new GraphNode(name, op, inputs, params));
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        JsonNode prov = root.get("provenance");
        if (prov != null && prov.isObject()) {
            prov.fields().forEachRemaining(e -> provenance.put(e.getKey(), e.getValue().asText()));
        }
        return new ModelMetadata(
                require(root, "name").asText(),
                root.path("architecture").asText(""),
                ints(array(root, "inputShape")),
                floats(array(norm, "mean")),
                floats(array(norm, "std")),
                labels,
                graph,
                provenance,
                TestTimeAugmentation.parse(root.path("testTimeAugmentation").asText("none")));
    }

    private static JsonNode require(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new ModelFormatException("model description lacks '" + key + "'");
        }
        return v;
    }

    private static JsonNode array(JsonNode node, String key) {
        JsonNode v = require(node, key);
        if (!v.isArray()) {
            throw new ModelFormatException("model description: '" + key + "' must be an array");
        }
        return v;
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            if (!arr.get(i).canConvertToExactIntegral()) {
                throw new ModelFormatException("expected integers, got " + arr);
            }
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            if (!arr.get(i).isNumber()) {
                throw new ModelFormatException("expected numbers, got " + arr);
            }
            out[i] = (float) arr.get(i).asDouble();
        }
        return out;
    }

    private static void floats(ArrayNode arr, float[] values) {
        for (float f : values) {
            arr.add(Double.parseDouble(Float.toString(f)));
        }
    }

    private static JsonNode value(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return JSON.getNodeFactory().numberNode(((Number) v).longValue());
        } else if (v instanceof Number n) {
            return JSON.getNodeFactory().numberNode(n.doubleValue());
        } else if (v instanceof Boolean b) {
            return JSON.getNodeFactory().booleanNode(b);
        } else if (v instanceof List<?> list) {
            ArrayNode arr = JSON.createArrayNode();
            list.forEach(e -> arr.add(value(e)));
            return arr;
        } else if (v instanceof int[] ints) {
            ArrayNode arr = JSON.createArrayNode();
            for (int i : ints) {
                arr.add(i);
            }
            return arr;
        }
        return JSON.getNodeFactory().textNode(String.valueOf(v));
    }

    private static Object javaValue(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        } else if (v.isNumber()) {
            return v.doubleValue();
        } else if (v.isBoolean()) {
            return v.booleanValue();
        } else if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(javaValue(e)));
            return list;
        }
        return v.asText();
    }
}
