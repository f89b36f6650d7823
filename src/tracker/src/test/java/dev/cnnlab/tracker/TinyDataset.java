package dev.cnnlab.tracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A few CIFAR-10 images per class copied from the shared folder, so training tests take seconds. */
public final class TinyDataset {
    private static Path folder;

    private TinyDataset() {
    }

    /** A class-per-folder tree with {@code perClass} images of each of the 10 classes (made once per JVM). */
    public static synchronized Path folder(int perClass) {
        if (folder != null) {
            return folder;
        }
        Path source = Fixtures.cifarFolder();
        try {
            Path target = Files.createTempDirectory("cnnlab-tiny");
            List<Path> classes;
            try (Stream<Path> s = Files.list(source)) {
                classes = s.filter(Files::isDirectory).sorted().toList();
            }
            for (Path cls : classes) {
                Path dst = Files.createDirectories(target.resolve(cls.getFileName().toString()));
                try (Stream<Path> s = Files.list(cls)) {
                    for (Path img : s.sorted().limit(perClass).toList()) {
                        Files.copy(img, dst.resolve(img.getFileName().toString()));
                    }
                }
            }
            folder = target;
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy a tiny data set from " + source, e);
        }
    }
}
