package dev.cnnlab.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @Test
    void readsAFewSharedImages() throws Exception {
        Path root = TestData.sharedCifarTrain();
        assumeTrue(Files.isDirectory(root), "shared CIFAR-10 images absent: " + root);
        ImageDataset d = ImageFolderReader.read(root, 3);
        assertEquals(30, d.size());
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                "truck"), d.classes());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, d.classCounts());
        // The pixels match a direct decode of the first airplane file.
        Path first;
        try (var s = Files.list(root.resolve("airplane"))) {
            first = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        BufferedImage img = ImageIO.read(first.toFile());
        int rgb = img.getRGB(5, 7);
        byte[] chw = d.image(0);
        assertEquals((rgb >> 16) & 0xff, chw[7 * 32 + 5] & 0xff);
        assertEquals((rgb >> 8) & 0xff, chw[1024 + 7 * 32 + 5] & 0xff);
        assertEquals(rgb & 0xff, chw[2048 + 7 * 32 + 5] & 0xff);
    }

    @Test
    void resizesOtherSizesAndReadsPng(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("red"));
        Files.createDirectories(dir.resolve("blue"));
        BufferedImage red = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        BufferedImage blue = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                red.setRGB(x, y, 0xff0000);
                if (x < 20 && y < 20) {
                    blue.setRGB(x, y, 0x0000ff);
                }
            }
        }
        ImageIO.write(red, "png", dir.resolve("red/a.png").toFile());
        ImageIO.write(blue, "png", dir.resolve("blue/b.png").toFile());
        Files.writeString(dir.resolve("blue/notes.txt"), "ignored");
        ImageDataset d = ImageFolderReader.read(dir);
        assertEquals(List.of("blue", "red"), d.classes());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertEquals(255, d.image(1)[100] & 0xff); // red plane of the red image
        assertEquals(0, d.image(1)[2048 + 100] & 0xff);
        assertEquals(255, d.image(0)[2048 + 16 * 32 + 16] & 0xff); // blue plane of the blue image
    }
}
