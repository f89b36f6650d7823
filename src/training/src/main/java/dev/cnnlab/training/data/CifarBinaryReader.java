package dev.cnnlab.training.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads the official CIFAR-10 binary release: {@code data_batch_1..5.bin} (training) and
 * {@code test_batch.bin}, each a sequence of records of 1 label byte and 3072 bytes (R, G, B planes
 * of 32x32), from a folder, a single {@code .bin} file or the {@code cifar-10-binary.tar.gz} archive.
 *
 * <p>Label names come from {@code batches.meta.txt} when present, else the standard CIFAR-10 names.
 */
public final class CifarBinaryReader {
    /** The CIFAR-10 class names, in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat",
            "deer", "dog", "frog", "horse", "ship", "truck");
    /** Bytes per record: one label byte and one image. */
    public static final int RECORD_BYTES = 1 + ImageDataset.IMAGE_BYTES;

    private CifarBinaryReader() {
    }

    /** Which part of the release to read. */
    public enum Split {
        /** {@code data_batch_1.bin} .. {@code data_batch_5.bin}. */
        TRAIN,
        /** {@code test_batch.bin}. */
        TEST;

        boolean accepts(String fileName) {
            return this == TRAIN ? fileName.matches("data_batch_\\d+\\.bin") : fileName.equals("test_batch.bin");
        }
    }

    /**
     * Reads a split from a folder, a {@code .bin} file (read whatever the split) or a {@code .tar.gz}.
     *
     * @param source the folder, file or archive
     * @param split  which batches to read from a folder or archive
     * @return the images, in batch-file order then record order
     * @throws IOException if a file cannot be read or is not in CIFAR-10 binary format
     */
    public static ImageDataset read(Path source, Split split) throws IOException {
        String name = source.getFileName().toString();
        if (Files.isDirectory(source)) {
            return readFolder(source, split);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return readArchive(source, split);
        }
        if (name.endsWith(".bin")) {
            Path meta = source.resolveSibling("batches.meta.txt");
            List<String> classes = Files.exists(meta) ? parseMeta(Files.readAllBytes(meta)) : CIFAR10_CLASSES;
            ImageBuffer buffer = new ImageBuffer();
            parseBatch(Files.readAllBytes(source), name, classes.size(), buffer);
            return buffer.toDataset(classes);
        }
        throw new IllegalArgumentException("not a CIFAR-10 binary folder, .bin or .tar.gz: " + source);
    }

    private static ImageDataset readFolder(Path dir, Split split) throws IOException {
        Map<String, Path> batches = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> split.accepts(p.getFileName().toString()))
                    .forEach(p -> batches.put(p.getFileName().toString(), p));
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no " + split + " batch files in " + dir);
        }
        Path meta = dir.resolve("batches.meta.txt");
        List<String> classes = Files.exists(meta) ? parseMeta(Files.readAllBytes(meta)) : CIFAR10_CLASSES;
        ImageBuffer buffer = new ImageBuffer();
        for (Map.Entry<String, Path> e : batches.entrySet()) {
            parseBatch(Files.readAllBytes(e.getValue()), e.getKey(), classes.size(), buffer);
        }
        return buffer.toDataset(classes);
    }

    private static ImageDataset readArchive(Path archive, Split split) throws IOException {
        Map<String, byte[]> batches = new TreeMap<>();
        List<String> classes = CIFAR10_CLASSES;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String file = e.name().substring(e.name().lastIndexOf('/') + 1);
                if (!e.regularFile()) {
                    continue;
                }
                if (split.accepts(file)) {
                    batches.put(file, tar.read());
                } else if (file.equals("batches.meta.txt")) {
                    classes = parseMeta(tar.read());
                }
            }
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no " + split + " batch files in archive " + archive);
        }
        ImageBuffer buffer = new ImageBuffer();
        for (Map.Entry<String, byte[]> e : batches.entrySet()) {
            parseBatch(e.getValue(), e.getKey(), classes.size(), buffer);
        }
        return buffer.toDataset(classes);
    }

    /** Appends the records of one batch file to {@code buffer}. */
    static void parseBatch(byte[] data, String name, int numClasses, ImageBuffer buffer) throws IOException {
        if (data.length == 0 || data.length % RECORD_BYTES != 0) {
            throw new IOException("CIFAR-10 batch " + name + " has " + data.length
                    + " bytes, not a positive multiple of " + RECORD_BYTES);
        }
        for (int off = 0; off < data.length; off += RECORD_BYTES) {
            int label = data[off] & 0xff;
            if (label >= numClasses) {
                throw new IOException("CIFAR-10 batch " + name + " record " + off / RECORD_BYTES
                        + " has label " + label + " outside " + numClasses + " classes");
            }
            buffer.add(data, off + 1, label);
        }
    }

    /** Parses {@code batches.meta.txt}: one label name per non-empty line. */
    static List<String> parseMeta(byte[] data) {
        List<String> names = new ArrayList<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("batches.meta.txt lists no label names");
        }
        return names;
    }
}
