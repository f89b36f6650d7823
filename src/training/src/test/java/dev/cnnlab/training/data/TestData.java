package dev.cnnlab.training.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny hand-made data for tests. */
public final class TestData {
    private TestData() {
    }

    /**
     * Returns the shared folder: system property cnnlab.shared (the parent pom sets it to ../shared beside
     * the repository), else that same folder reached from this module's directory, where the tests run.
     */
    public static Path shared() {
        String p = System.getProperty("cnnlab.shared");
        return Path.of(p == null || p.isBlank() || p.contains("${") ? "../../../shared" : p);
    }

    /** Returns the shared CIFAR-10 image tree. */
    public static Path sharedCifarTrain() {
        return shared().resolve("datasets/cifar10/train");
    }

    /** Returns CIFAR-10 binary records: image i has label labels[i] and every byte of channel c = (i * 3 + c) % 251. */
    public static byte[] cifarRecords(int[] labels) {
        byte[] out = new byte[labels.length * CifarBinaryReader.RECORD_BYTES];
        for (int i = 0; i < labels.length; i++) {
            int off = i * CifarBinaryReader.RECORD_BYTES;
            out[off] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                java.util.Arrays.fill(out, off + 1 + c * 1024, off + 1 + (c + 1) * 1024, (byte) ((i * 3 + c) % 251));
            }
        }
        return out;
    }

    /** Returns a data set of {@code perClass * classes} random images, labels in round-robin order. */
    public static ImageDataset random(int perClass, int classes, long seed) {
        int n = perClass * classes;
        byte[] pixels = new byte[n * ImageDataset.IMAGE_BYTES];
        new Random(seed).nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
        }
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return ImageDataset.of(pixels, labels, names);
    }

    /** Writes a ustar archive of the given files (name -> bytes) to {@code out}. */
    public static void writeTar(Map<String, byte[]> files, OutputStream out) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", f.getValue().length));
            put(h, 136, String.format("%011o", 1_600_000_000L));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[155] = ' ';
            out.write(h);
            out.write(f.getValue());
            out.write(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** Returns the bytes of a tar archive. */
    public static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        writeTar(files, bos);
        return bos.toByteArray();
    }
}
