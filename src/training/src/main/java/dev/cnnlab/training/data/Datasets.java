package dev.cnnlab.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Opens data sets by source name, through the {@link DatasetCache}.
 *
 * <p>A source is one of:
 * <ul>
 *   <li>{@code cifar10} / {@code cifar10-test}: the official CIFAR-10 training / test batches,
 *       downloaded into the cache folder (MD5-checked) when not there;</li>
 *   <li>a {@code .tar.gz} CIFAR-10 binary archive, a {@code .bin} batch file or a folder holding
 *       {@code data_batch_*.bin} (training batches; {@code test_batch.bin} with the {@code -test} kinds);</li>
 *   <li>a class-per-folder image tree (JPEG/PNG).</li>
 * </ul>
 */
public final class Datasets {
    private Datasets() {
    }

    /** Opens a training source with the default cache folder. */
    public static ImageDataset load(String source) throws IOException {
        return load(source, DatasetCache.defaultDir());
    }

    /**
     * Opens a source, decoding it into the cache on first use.
     *
     * @param source   a source name or path (see the class comment)
     * @param cacheDir the cache folder
     * @return the memory-mapped data set
     * @throws IOException if the source cannot be read, downloaded or cached
     */
    public static ImageDataset load(String source, Path cacheDir) throws IOException {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("data source is empty: '" + source + "'");
        }
        DatasetCache cache = new DatasetCache(cacheDir);
        if (source.equals("cifar10") || source.equals("cifar10-test")) {
            CifarBinaryReader.Split split = source.equals("cifar10") ? CifarBinaryReader.Split.TRAIN
                    : CifarBinaryReader.Split.TEST;
            Path archive = Cifar10Download.ensure(cacheDir);
            return cache.load(archive, "cifar-" + split.name().toLowerCase(),
                    p -> CifarBinaryReader.read(p, split));
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("data source not found: " + source);
        }
        if (isCifarBinary(path)) {
            return cache.load(path, "cifar-train", p -> CifarBinaryReader.read(p, CifarBinaryReader.Split.TRAIN));
        }
        return cache.load(path, "folder", ImageFolderReader::read);
    }

    /** Returns true if a path is a CIFAR-10 binary archive, batch file or folder of batch files. */
    static boolean isCifarBinary(Path path) throws IOException {
        String name = path.getFileName().toString();
        if (Files.isRegularFile(path)) {
            return name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".bin");
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"));
        }
    }
}
