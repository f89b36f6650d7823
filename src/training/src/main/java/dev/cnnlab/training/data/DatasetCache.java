package dev.cnnlab.training.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A folder of decoded data sets: each source is decoded once into a compact uint8 file (header,
 * label names, labels, CHW pixels) that later runs memory-map instead of decoding again.
 *
 * <p>A cache file is named by a hash of the source's absolute path and of every file's relative
 * path, size and modification time, so a changed source is decoded again.
 */
public final class DatasetCache {
    private static final Logger LOG = Logger.getLogger(DatasetCache.class.getName());
    private static final byte[] MAGIC = "CNNLDS01".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Path dir;

    /** Creates a cache in {@code dir} (created on first write). */
    public DatasetCache(Path dir) {
        this.dir = dir;
    }

    /** Returns the cache folder. */
    public Path dir() {
        return dir;
    }

    /**
     * Returns the default cache folder: system property or environment variable {@code cnnlab.cache}
     * ({@code CNNLAB_CACHE}), else {@code ~/.cnnlab/cache}.
     */
    public static Path defaultDir() {
        String p = System.getProperty("cnnlab.cache", System.getenv("CNNLAB_CACHE"));
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".cnnlab", "cache");
    }

    /** Decodes a source into a data set; the cache calls it only on a miss. */
    @FunctionalInterface
    public interface Decoder {
        /** Decodes the source. */
        ImageDataset decode(Path source) throws IOException;
    }

    /**
     * Returns the cached data set for {@code source}, decoding and writing it first on a miss.
     *
     * @param source  a file or folder
     * @param kind    what the decoder reads (part of the key, e.g. "cifar-train")
     * @param decoder decodes the source on a miss
     * @return the memory-mapped data set
     * @throws IOException if the source or the cache cannot be read or written
     */
    public ImageDataset load(Path source, String kind, Decoder decoder) throws IOException {
        Path file = dir.resolve(kind + "-" + key(source, kind) + ".u8");
        if (Files.exists(file)) {
            LOG.fine(() -> "cache hit " + file);
            return read(file);
        }
        LOG.info(() -> "decoding " + source + " into cache " + file);
        long t0 = System.nanoTime();
        ImageDataset decoded = decoder.decode(source);
        Files.createDirectories(dir);
        write(decoded, file);
        LOG.info(() -> String.format("decoded %d images in %.1f s", decoded.size(), (System.nanoTime() - t0) / 1e9));
        return read(file);
    }

    /** Returns the cache key of a source: a hash of its path and its files' sizes and mtimes. */
    public static String key(Path source, String kind) throws IOException {
        Path abs = source.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new IllegalArgumentException("data source does not exist: " + source);
        }
        MessageDigest md = sha256();
        md.update((VERSION + "|" + kind + "|" + abs + "\n").getBytes(StandardCharsets.UTF_8));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(abs)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            md.update((abs.relativize(f) + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    /** Writes a data set to a cache file atomically (temporary file, then move). */
    public static void write(ImageDataset data, Path file) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(data.size());
                out.writeInt(ImageDataset.CHANNELS);
                out.writeInt(ImageDataset.HEIGHT);
                out.writeInt(ImageDataset.WIDTH);
                out.writeInt(data.numClasses());
                for (String c : data.classes()) {
                    out.writeUTF(c);
                }
                for (int i = 0; i < data.size(); i++) {
                    out.writeByte(data.label(i));
                }
                byte[] img = new byte[ImageDataset.IMAGE_BYTES];
                for (int i = 0; i < data.size(); i++) {
                    data.copyImage(i, img, 0);
                    out.write(img);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Memory-maps a cache file written by {@link #write}. */
    public static ImageDataset read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            byte[] magic = new byte[MAGIC.length];
            map.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a cnnlab cache file: " + file);
            }
            int version = map.getInt();
            if (version != VERSION) {
                throw new IOException("unsupported cache version " + version + " in " + file);
            }
            int n = map.getInt();
            int c = map.getInt();
            int h = map.getInt();
            int w = map.getInt();
            if (c != ImageDataset.CHANNELS || h != ImageDataset.HEIGHT || w != ImageDataset.WIDTH) {
                throw new IOException("unsupported image shape " + c + "x" + h + "x" + w + " in " + file);
            }
            int numClasses = map.getInt();
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < numClasses; i++) {
                byte[] utf = new byte[map.getShort() & 0xffff];
                map.get(utf);
                classes.add(new String(utf, StandardCharsets.UTF_8));
            }
            byte[] labels = new byte[n];
            map.get(labels);
            long pixelBytes = (long) n * ImageDataset.IMAGE_BYTES;
            if (map.remaining() != pixelBytes) {
                throw new IOException("cache file " + file + " has " + map.remaining()
                        + " pixel bytes, expected " + pixelBytes);
            }
            ByteBuffer pixels = map.slice(map.position(), (int) pixelBytes);
            return ImageDataset.of(pixels, labels, classes);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
