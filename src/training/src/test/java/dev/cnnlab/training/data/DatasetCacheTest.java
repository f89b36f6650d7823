package dev.cnnlab.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCacheTest {

    @Test
    void writesOnceThenMemoryMaps(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.write(src.resolve("data_batch_1.bin"), TestData.cifarRecords(new int[] {4, 9, 0}));
        DatasetCache cache = new DatasetCache(dir.resolve("cache"));
        AtomicInteger decodes = new AtomicInteger();
        DatasetCache.Decoder decoder = p -> {
            decodes.incrementAndGet();
            return CifarBinaryReader.read(p, CifarBinaryReader.Split.TRAIN);
        };
        ImageDataset first = cache.load(src, "cifar-train", decoder);
        ImageDataset second = cache.load(src, "cifar-train", decoder);
        assertEquals(1, decodes.get());
        assertArrayEquals(new int[] {4, 9, 0}, second.labels());
        assertEquals(CifarBinaryReader.CIFAR10_CLASSES, second.classes());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first.image(i), second.image(i));
        }
        try (var files = Files.list(cache.dir())) {
            assertEquals(1, files.count());
        }

        // A changed source (new mtime) gets a new key and is decoded again.
        Files.setLastModifiedTime(src.resolve("data_batch_1.bin"), FileTime.fromMillis(1_000_000));
        cache.load(src, "cifar-train", decoder);
        assertEquals(2, decodes.get());
    }

    @Test
    void datasetsLoadsFoldersAndBinariesByPath(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("bins");
        Files.createDirectories(src);
        Files.write(src.resolve("data_batch_1.bin"), TestData.cifarRecords(new int[] {1, 2}));
        ImageDataset d = Datasets.load(src.toString(), dir.resolve("cache"));
        assertArrayEquals(new int[] {1, 2}, d.labels());

        Path tree = dir.resolve("tree");
        for (String c : new String[] {"cats", "dogs"}) {
            Files.createDirectories(tree.resolve(c));
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30,
                    java.awt.image.BufferedImage.TYPE_INT_RGB), "png", tree.resolve(c + "/1.png").toFile());
        }
        ImageDataset folder = Datasets.load(tree.toString(), dir.resolve("cache"));
        assertEquals(java.util.List.of("cats", "dogs"), folder.classes());
        assertArrayEquals(new int[] {0, 1}, folder.labels());

        var e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(dir.resolve("missing").toString(), dir.resolve("cache")));
        assertTrue(e.getMessage().contains("missing"));
    }

    @Test
    void keyDependsOnKindAndContent(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.bin");
        Files.write(f, new byte[] {1});
        String k1 = DatasetCache.key(f, "cifar-train");
        assertNotEquals(k1, DatasetCache.key(f, "cifar-test"));
        Files.write(f, new byte[] {1, 2});
        assertNotEquals(k1, DatasetCache.key(f, "cifar-train"));
    }

    @Test
    void md5CheckRejectsAWrongFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(Cifar10Download.FILE_NAME);
        Files.writeString(f, "not the CIFAR-10 archive");
        IOException e = assertThrows(IOException.class, () -> Cifar10Download.verifyMd5(f, Cifar10Download.MD5));
        assertTrue(e.getMessage().contains(Cifar10Download.MD5), e.getMessage());
        assertTrue(e.getMessage().contains(Cifar10Download.md5Hex(f)), e.getMessage());
        // ensure() also refuses a corrupt archive already in the cache instead of downloading or using it.
        assertThrows(IOException.class, () -> Cifar10Download.ensure(dir));
        // MD5 of "abc" is the RFC 1321 test vector.
        Path abc = dir.resolve("abc");
        Files.writeString(abc, "abc");
        Cifar10Download.verifyMd5(abc, "900150983CD24FB0D6963F7D28E17F72");
    }
}
