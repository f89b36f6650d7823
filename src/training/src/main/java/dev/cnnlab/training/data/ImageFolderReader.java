package dev.cnnlab.training.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a class-per-folder image tree ({@code root/<class>/<image>.jpg|.jpeg|.png}) into 32x32 RGB
 * images, resizing other sizes with bilinear interpolation (javax.imageio and java.awt only).
 *
 * <p>Classes are the sub-folder names in sorted order; files are read in sorted name order.
 */
public final class ImageFolderReader {
    private ImageFolderReader() {
    }

    /** Reads every image under {@code root}. */
    public static ImageDataset read(Path root) throws IOException {
        return read(root, Integer.MAX_VALUE);
    }

    /**
     * Reads at most {@code maxPerClass} images (the first in sorted name order) of each class.
     *
     * @param root        the folder holding one sub-folder per class
     * @param maxPerClass the most images to read per class, positive
     * @return the images
     * @throws IOException if a folder cannot be listed or an image cannot be decoded
     */
    public static ImageDataset read(Path root, int maxPerClass) throws IOException {
        if (maxPerClass <= 0) {
            throw new IllegalArgumentException("maxPerClass must be positive, got " + maxPerClass);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a folder: " + root);
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("no class folders in " + root);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images = s.filter(ImageFolderReader::isImage).sorted().limit(maxPerClass).toList();
            }
            for (Path p : images) {
                files.add(p);
                labels.add(classes.size());
            }
            classes.add(dir.getFileName().toString());
        }
        byte[] pixels = new byte[files.size() * ImageDataset.IMAGE_BYTES];
        byte[] labelBytes = new byte[files.size()];
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                decodeInto(files.get(i), pixels, i * ImageDataset.IMAGE_BYTES);
                labelBytes[i] = (byte) (int) labels.get(i);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ImageDataset.of(pixels, labelBytes, classes);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    /** Decodes one image file, resizes it to 32x32 and writes its CHW bytes at {@code offset}. */
    static void decodeInto(Path file, byte[] dst, int offset) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image " + file, e);
        }
        if (img == null) {
            throw new UncheckedIOException(new IOException("no image decoder for " + file));
        }
        toChw(img, dst, offset);
    }

    /** Resizes an image to 32x32 RGB and writes its CHW bytes at {@code offset}. */
    public static void toChw(BufferedImage img, byte[] dst, int offset) {
        int w = ImageDataset.WIDTH;
        int h = ImageDataset.HEIGHT;
        BufferedImage rgb = img;
        if (img.getWidth() != w || img.getHeight() != h || img.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, w, h, null);
            g.dispose();
        }
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int i = offset + y * w + x;
                dst[i] = (byte) (p >> 16);
                dst[i + plane] = (byte) (p >> 8);
                dst[i + 2 * plane] = (byte) p;
            }
        }
    }
}
