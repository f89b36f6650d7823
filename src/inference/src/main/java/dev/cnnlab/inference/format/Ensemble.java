package dev.cnnlab.inference.format;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges networks that read the same input and predict the same labels into one model that
 * averages their logits: one graph, written and served like any other model file, no new op.
 *
 * <p>Each member must end in {@code dense -> softmax}. Member {@code i}'s nodes and tensors get
 * the prefix {@code m<i>_}, its softmax is dropped, and its last dense layer's weight and bias are
 * divided by the number of members; an {@code add} node ({@code ensemble}) sums those scaled
 * logits and a {@code softmax} ({@code output}) turns the mean into probabilities. N members cost
 * N forward passes and N times the weights.
 */
public final class Ensemble {
    private Ensemble() {
    }

    /**
     * Merges the members; the result takes the first member's provenance and test-time
     * augmentation, records the members in the provenance entry {@code ensemble}, and its own
     * {@code architecture} and {@code createdAt}.
     *
     * @param name the merged model's name
     * @param members two or more models
     * @return the merged model (format version 1, no SHA-256 until written)
     * @throws IllegalArgumentException if fewer than two members are given, they differ in input
     *     shape, normalization or labels, or one does not end in dense then softmax
     */
    public static ModelArchive of(String name, List<ModelArchive> members) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 models, got " + members.size());
        }
        ModelMetadata first = members.get(0).metadata();
        float scale = 1f / members.size();
        List<GraphNode> graph = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> logits = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            ModelMetadata m = members.get(i).metadata();
            requireSame(i, m, first);
            String prefix = "m" + i + "_";
            String dense = lastDense(i, m);
            List<GraphNode> nodes = m.graph();
            for (GraphNode n : nodes.subList(0, nodes.size() - 1)) {
                List<String> inputs = n.inputs().stream()
                        .map(in -> in.equals("input") ? in : prefix + in).toList();
                graph.add(new GraphNode(prefix + n.name(), n.op(), inputs, n.params()));
            }
            for (Tensor t : members.get(i).tensors().values()) {
                float[] data = t.data();
                if (t.name().startsWith(dense + ".")) {
                    data = data.clone();
                    for (int j = 0; j < data.length; j++) {
                        data[j] *= scale;
                    }
                }
                tensors.put(prefix + t.name(), new Tensor(prefix + t.name(), t.shape(), data));
            }
            logits.add(prefix + dense);
            described.add(describe(members.get(i)));
        }
        graph.add(new GraphNode("ensemble", "add", logits, Map.of()));
        graph.add(new GraphNode("output", "softmax", List.of("ensemble"), Map.of()));
        boolean oneArchitecture = members.stream()
                .allMatch(a -> a.metadata().architecture().equals(first.architecture()));
        String architecture = oneArchitecture
                ? members.size() + "x " + first.architecture() : "ensemble of " + members.size();
        Map<String, String> provenance = new LinkedHashMap<>(first.provenance());
        provenance.put("architecture", architecture);
        provenance.put("ensemble", String.join("; ", described));
        provenance.put("createdAt", Instant.now().toString());
        ModelMetadata metadata = new ModelMetadata(name, architecture, first.inputShape(), first.mean(),
                first.std(), first.labels(), graph, provenance, first.testTime());
        return new ModelArchive(ModelFile.FORMAT_VERSION, metadata, tensors, "");
    }

    private static void requireSame(int i, ModelMetadata m, ModelMetadata first) {
        if (!Arrays.equals(m.inputShape(), first.inputShape()) || !Arrays.equals(m.mean(), first.mean())
                || !Arrays.equals(m.std(), first.std())) {
            throw new IllegalArgumentException("model " + i + " (" + m.name() + ") reads input "
                    + Arrays.toString(m.inputShape()) + " normalized by mean " + Arrays.toString(m.mean())
                    + " std " + Arrays.toString(m.std()) + ", model 0 (" + first.name() + ") "
                    + Arrays.toString(first.inputShape()) + " mean " + Arrays.toString(first.mean())
                    + " std " + Arrays.toString(first.std()));
        }
        if (!m.labels().equals(first.labels())) {
            throw new IllegalArgumentException("model " + i + " (" + m.name() + ") has labels "
                    + m.labels() + ", model 0 (" + first.name() + ") " + first.labels());
        }
    }

    /** The name of the dense node feeding the member's final softmax. */
    private static String lastDense(int i, ModelMetadata m) {
        List<GraphNode> nodes = m.graph();
        GraphNode last = nodes.get(nodes.size() - 1);
        String feeding = last.inputs().isEmpty() ? "" : last.inputs().get(0);
        boolean denseFeeds = nodes.stream()
                .anyMatch(n -> n.name().equals(feeding) && n.op().equals("dense"));
        if (!last.op().equals("softmax") || !denseFeeds) {
            throw new IllegalArgumentException("model " + i + " (" + m.name()
                    + ") must end in dense then softmax to join an ensemble; its last node is '"
                    + last.name() + "' (" + last.op() + ") reading '" + feeding + "'");
        }
        return feeding;
    }

    /** E.g. {@code resnet20 (resnet20, epochs 80, accuracy 0.8834, sha256 ead4...)}. */
    private static String describe(ModelArchive member) {
        ModelMetadata m = member.metadata();
        StringBuilder s = new StringBuilder(m.name()).append(" (").append(m.architecture());
        for (String key : List.of("epochs", "accuracy")) {
            if (m.provenance().containsKey(key)) {
                s.append(", ").append(key).append(' ').append(m.provenance().get(key));
            }
        }
        if (!member.sha256().isEmpty()) {
            s.append(", sha256 ").append(member.sha256());
        }
        return s.append(')').toString();
    }
}
