package dev.cnnlab.inference.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes cnnlab model files: safetensors with the model description in
 * {@code __metadata__} (see models/FORMAT.md).
 */
public final class ModelFile {

    /** The format version this code writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;
    /** Metadata key holding the format version as a decimal string. */
    public static final String VERSION_KEY = "cnnlab.format_version";
    /** Metadata key holding the model description JSON. */
    public static final String MODEL_KEY = "cnnlab.model";
    /** The file name looked for when a model path is a directory. */
    public static final String DEFAULT_FILE_NAME = "model.safetensors";

    private static final long MAX_HEADER_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /**
     * Reads a model file, or {@code model.safetensors} inside a directory.
     *
     * @param path the file or directory
     * @return the file's contents
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if it is not a valid version-1 model file
     */
    public static ModelArchive read(Path path) throws IOException {
        return read(path, null);
    }

    /**
     * Reads a model file and checks its SHA-256.
     *
     * @param path the file, or a directory holding {@code model.safetensors}
     * @param expectedSha256 the expected lowercase or uppercase hex digest, or null to skip
     * @return the file's contents
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if the digest differs or the file is not a valid model file
     */
    public static ModelArchive read(Path path, String expectedSha256) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(DEFAULT_FILE_NAME) : path;
        return parse(Files.readAllBytes(file), expectedSha256);
    }

    /**
     * Reads a model file from a stream (the stream is read to its end, not closed).
     *
     * @param in the stream
     * @param expectedSha256 the expected hex digest, or null to skip the check
     * @return the file's contents
     * @throws IOException if reading fails
     */
    public static ModelArchive read(InputStream in, String expectedSha256) throws IOException {
        return parse(in.readAllBytes(), expectedSha256);
    }

    /**
     * Parses the bytes of a model file.
     *
     * @param bytes the whole file
     * @param expectedSha256 the expected hex digest, or null to skip the check
     * @return the file's contents
     * @throws ModelFormatException if the file is malformed, truncated, corrupted or unsupported
     */
    public static ModelArchive parse(byte[] bytes, String expectedSha256) {
        String sha = sha256(bytes);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
            throw new ModelFormatException("sha256 mismatch: expected " + expectedSha256
                    + " but the file has " + sha + " (corrupted or wrong file)");
        }
        if (bytes.length < 8) {
            throw new ModelFormatException("truncated model file: " + bytes.length
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException("bad header length " + headerLength
                    + " (not a safetensors file?)");
        }
        if (8 + headerLength > bytes.length) {
            throw new ModelFormatException("truncated model file: header declares "
                    + headerLength + " bytes but only " + (bytes.length - 8) + " follow");
        }
        int dataStart = 8 + (int) headerLength;
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException("header must be a JSON object");
        }
        Map<String, String> meta = metadata(header.get("__metadata__"));
        int version = version(meta.get(VERSION_KEY));
        String modelJson = meta.get(MODEL_KEY);
        if (modelJson == null) {
            throw new ModelFormatException("__metadata__ lacks the " + MODEL_KEY + " entry");
        }
        ModelMetadata metadata = MetadataCodec.fromJson(modelJson);
        Map<String, Tensor> tensors = tensors(header, buf, dataStart);
        return new ModelArchive(version, metadata, tensors, sha);
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ModelFormatException("not a cnnlab model: the header has no __metadata__");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException("__metadata__ value for '" + e.getKey()
                        + "' must be a string");
            }
            meta.put(e.getKey(), e.getValue().textValue());
        });
        return meta;
    }

    private static int version(String v) {
        if (v == null) {
            throw new ModelFormatException("not a cnnlab model: __metadata__ lacks " + VERSION_KEY);
        }
        if (!v.equals(Integer.toString(FORMAT_VERSION))) {
            throw new ModelFormatException("unsupported cnnlab model format version " + v
                    + " (this reader supports version " + FORMAT_VERSION + ")");
        }
        return FORMAT_VERSION;
    }

    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {
    }

    private static Map<String, Tensor> tensors(JsonNode header, ByteBuffer buf, int dataStart) {
        List<Entry> entries = new ArrayList<>();
        header.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("__metadata__")) {
                entries.add(entry(e.getKey(), e.getValue()));
            }
        });
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> Long.compare(a.begin, b.begin));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw new ModelFormatException("tensor '" + e.name + "' starts at byte " + e.begin
                        + " but the previous tensor ends at " + expected
                        + " (offsets overlap or leave a gap)");
            }
            expected = e.end;
        }
        long available = buf.capacity() - (long) dataStart;
        if (expected > available) {
            throw new ModelFormatException("truncated model file: tensors need " + expected
                    + " data bytes but only " + available + " are present");
        }
        if (expected < available) {
            throw new ModelFormatException((available - expected)
                    + " unexpected bytes after the last tensor");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            float[] data = values(e, buf, dataStart + (int) e.begin);
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new ModelFormatException("tensor '" + e.name + "' holds " + data[i]
                            + " at index " + i);
                }
            }
            tensors.put(e.name, new Tensor(e.name, e.shape, data));
        }
        return tensors;
    }

    /** Reads a tensor's values, widening F16 to float. */
    private static float[] values(Entry e, ByteBuffer buf, int start) {
        float[] data = new float[(int) ((e.end - e.begin) / e.dtype.bytes())];
        if (e.dtype == Dtype.F32) {
            buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(start).asFloatBuffer().get(data);
        } else {
            for (int i = 0; i < data.length; i++) {
                data[i] = Half.toFloat(buf.getShort(start + 2 * i));
            }
        }
        return data;
    }

    private static Entry entry(String name, JsonNode t) {
        if (!t.isObject()) {
            throw new ModelFormatException("tensor '" + name + "': header entry must be an object");
        }
        String dtypeName = t.path("dtype").asText();
        if (!dtypeName.equals("F32") && !dtypeName.equals("F16")) {
            throw new ModelFormatException("tensor '" + name + "' has unsupported dtype '"
                    + dtypeName + "' (only F32 and F16)");
        }
        Dtype dtype = Dtype.valueOf(dtypeName);
        JsonNode shapeNode = t.get("shape");
        JsonNode offsets = t.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray()
                || offsets.size() != 2) {
            throw new ModelFormatException("tensor '" + name
                    + "' needs a shape array and two data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new ModelFormatException("tensor '" + name + "' has a bad shape " + shapeNode);
            }
            shape[i] = d.asInt();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long need = Tensor.elementCount(shape) * dtype.bytes();
        if (begin < 0 || end < begin || end - begin != need || need > Integer.MAX_VALUE) {
            throw new ModelFormatException("tensor '" + name + "': shape "
                    + Arrays.toString(shape) + " needs " + need + " bytes but data_offsets "
                    + offsets + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /**
     * Writes a model file with F32 weights to a path, creating parent directories.
     *
     * @param path the file to write
     * @param metadata the model description
     * @param tensors the weights, written in this order
     * @return the SHA-256 of the written file, lowercase hex
     * @throws IOException if writing fails
     */
    public static String write(Path path, ModelMetadata metadata, Collection<Tensor> tensors)
            throws IOException {
        return write(path, metadata, tensors, Dtype.F32);
    }

    /**
     * Writes a model file to a path, creating parent directories, with weights in a given dtype.
     *
     * @param path the file to write
     * @param metadata the model description
     * @param tensors the weights, written in this order
     * @param weights the dtype of tensors with two or more dimensions (vectors stay F32)
     * @return the SHA-256 of the written file, lowercase hex
     * @throws IOException if writing fails
     * @throws IllegalArgumentException naming the tensor if a weight is too large for F16
     */
    public static String write(Path path, ModelMetadata metadata, Collection<Tensor> tensors,
            Dtype weights) throws IOException {
        byte[] bytes = toBytes(metadata, tensors, weights);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.write(path, bytes);
        return sha256(bytes);
    }

    /**
     * Writes a model file to a stream.
     *
     * @param out the stream (not closed)
     * @param metadata the model description
     * @param tensors the weights, written in this order
     * @return the SHA-256 of the written bytes, lowercase hex
     * @throws IOException if writing fails
     */
    public static String write(OutputStream out, ModelMetadata metadata, Collection<Tensor> tensors)
            throws IOException {
        byte[] bytes = toBytes(metadata, tensors);
        out.write(bytes);
        return sha256(bytes);
    }

    /**
     * Serializes a model to the bytes of a version-1 file with F32 weights.
     *
     * @param metadata the model description
     * @param tensors the weights, written in this order
     * @return the file's bytes
     */
    public static byte[] toBytes(ModelMetadata metadata, Collection<Tensor> tensors) {
        return toBytes(metadata, tensors, Dtype.F32);
    }

    /**
     * Serializes a model to the bytes of a version-1 file, with weights in a given dtype.
     *
     * @param metadata the model description
     * @param tensors the weights, written in this order
     * @param weights the dtype of tensors with two or more dimensions (vectors stay F32)
     * @return the file's bytes
     * @throws IllegalArgumentException naming the tensor if a weight is too large for F16
     */
    public static byte[] toBytes(ModelMetadata metadata, Collection<Tensor> tensors,
            Dtype weights) {
        return SafetensorsWriter.toBytes(metadata, tensors, weights);
    }

    /**
     * Returns the lowercase hex SHA-256 of some bytes.
     *
     * @param bytes the bytes
     * @return the digest
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
