package dev.cnnlab.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {
    private static final byte[] META = "cat\ndog\nfrog\n\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void readsBinFilesInBatchOrderWithMetaNames(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("data_batch_2.bin"), TestData.cifarRecords(new int[] {2, 2}));
        Files.write(dir.resolve("data_batch_1.bin"), TestData.cifarRecords(new int[] {0, 1, 2}));
        Files.write(dir.resolve("test_batch.bin"), TestData.cifarRecords(new int[] {1}));
        Files.write(dir.resolve("batches.meta.txt"), META);

        ImageDataset train = CifarBinaryReader.read(dir, CifarBinaryReader.Split.TRAIN);
        assertEquals(List.of("cat", "dog", "frog"), train.classes());
        assertArrayEquals(new int[] {0, 1, 2, 2, 2}, train.labels());
        byte[] img = train.image(1); // second record of batch 1: i = 1
        assertEquals(3, img[0]); // R plane = (1*3+0)
        assertEquals(4, img[1024]); // G plane
        assertEquals(5, img[3071]); // B plane
        assertEquals(0, train.image(3)[0]); // batch 2 record 0: i = 0

        ImageDataset test = CifarBinaryReader.read(dir, CifarBinaryReader.Split.TEST);
        assertArrayEquals(new int[] {1}, test.labels());
        assertEquals(3, CifarBinaryReader.read(dir.resolve("data_batch_1.bin"), CifarBinaryReader.Split.TRAIN).size());
    }

    @Test
    void readsTheTarGzArchiveItWrites(@TempDir Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("cifar-10-batches-bin/batches.meta.txt", META);
        files.put("cifar-10-batches-bin/data_batch_2.bin", TestData.cifarRecords(new int[] {1, 1}));
        files.put("cifar-10-batches-bin/readme.html", new byte[700]);
        files.put("cifar-10-batches-bin/data_batch_1.bin", TestData.cifarRecords(new int[] {0, 2, 1}));
        files.put("cifar-10-batches-bin/test_batch.bin", TestData.cifarRecords(new int[] {2}));
        Path archive = dir.resolve("cifar-10-binary.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TestData.writeTar(files, out);
        }
        ImageDataset train = CifarBinaryReader.read(archive, CifarBinaryReader.Split.TRAIN);
        assertEquals(List.of("cat", "dog", "frog"), train.classes());
        assertArrayEquals(new int[] {0, 2, 1, 1, 1}, train.labels());
        assertEquals(6, train.image(2)[0]); // batch 1 record 2: (2*3+0)
        assertArrayEquals(new int[] {2}, CifarBinaryReader.read(archive, CifarBinaryReader.Split.TEST).labels());
    }

    @Test
    void rejectsTruncatedBatchNamingTheLength(@TempDir Path dir) throws IOException {
        Path bin = dir.resolve("data_batch_1.bin");
        Files.write(bin, new byte[CifarBinaryReader.RECORD_BYTES + 5]);
        IOException e = assertThrows(IOException.class, () -> CifarBinaryReader.read(bin, CifarBinaryReader.Split.TRAIN));
        assertTrue(e.getMessage().contains(String.valueOf(CifarBinaryReader.RECORD_BYTES + 5)), e.getMessage());
    }

    @Test
    void rejectsLabelOutsideTheClasses(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), TestData.cifarRecords(new int[] {0, 10}));
        IOException e = assertThrows(IOException.class, () -> CifarBinaryReader.read(dir, CifarBinaryReader.Split.TRAIN));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }
}
