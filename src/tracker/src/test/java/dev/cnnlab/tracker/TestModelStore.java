package dev.cnnlab.tracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/** The model store of the tracker under test (cnnlab.model-dir): registered models must live in it. */
public final class TestModelStore {
    private TestModelStore() {
    }

    public static Path dir() {
        return Path.of(ConfigProvider.getConfig().getValue("cnnlab.model-dir", String.class)).toAbsolutePath();
    }

    /** A fresh folder for one model version, as the exporter lays them out: {@code <store>/<name>/v<version>}. */
    public static Path versionDir(String name, int version) throws IOException {
        return Files.createDirectories(dir().resolve(name).resolve("v" + version));
    }
}
