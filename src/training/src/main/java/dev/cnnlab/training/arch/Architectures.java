package dev.cnnlab.training.arch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The architecture registry: the built-in JSON specs (resources {@code dev/cnnlab/training/arch/*.json})
 * plus user specs from the folder named by system property {@code cnnlab.architectures} or
 * environment variable {@code CNNLAB_ARCHITECTURES}. A user spec with a built-in name replaces it.
 */
public final class Architectures {
    /** The built-in architecture names. */
    public static final List<String> BUILT_IN = List.of("keras-cifar10", "lenet5", "vgg16-bn", "resnet20", "airbench94");

    private static final Logger LOG = Logger.getLogger(Architectures.class.getName());

    private Architectures() {
    }

    /** Returns every known architecture by name: built-ins first, then user specs sorted by file. */
    public static Map<String, ArchitectureSpec> all() {
        Map<String, ArchitectureSpec> specs = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            specs.put(name, builtIn(name));
        }
        Path userDir = userDir();
        if (userDir != null && Files.isDirectory(userDir)) {
            for (ArchitectureSpec spec : readFolder(userDir)) {
                if (specs.containsKey(spec.name())) {
                    LOG.info(() -> "user architecture " + spec.name() + " in " + userDir + " replaces the built-in one");
                }
                specs.put(spec.name(), spec);
            }
        }
        return specs;
    }

    /** Returns the names of all known architectures. */
    public static List<String> names() {
        return new ArrayList<>(all().keySet());
    }

    /**
     * Returns the architecture named {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown architecture and the known ones
     */
    public static ArchitectureSpec get(String name) {
        ArchitectureSpec spec = all().get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "', known: " + names());
        }
        return spec;
    }

    /** Reads every {@code *.json} spec in a folder, sorted by file name. */
    public static List<ArchitectureSpec> readFolder(Path dir) {
        List<ArchitectureSpec> specs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    specs.add(ArchitectureSpec.fromJson(Files.readString(f)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad architecture file " + f + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list architectures in " + dir, e);
        }
        return specs;
    }

    private static Path userDir() {
        String p = System.getProperty("cnnlab.architectures", System.getenv("CNNLAB_ARCHITECTURES"));
        return p == null || p.isBlank() ? null : Path.of(p);
    }

    private static ArchitectureSpec builtIn(String name) {
        String resource = name + ".json";
        try (InputStream in = Architectures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in architecture resource " + resource);
            }
            return ArchitectureSpec.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
