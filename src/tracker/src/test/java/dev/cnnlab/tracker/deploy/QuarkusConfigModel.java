package dev.cnnlab.tracker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Every configuration property the Quarkus extensions declare, with its environment variable and
 * default: each extension jar ships META-INF/quarkus-config-doc/quarkus-config-model.json. The
 * runtime jars are on this test's classpath; smallrye-health declares its paths at build time, in
 * its -deployment jar, which is looked up next to the runtime jar in the local Maven repository.
 */
final class QuarkusConfigModel {
    private static final String MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";

    /** One declared property. */
    record Property(String name, String env, String defaultValue, String extension) {}

    private final Map<String, Property> byEnv = new HashMap<>();
    private final Map<String, Property> byName = new HashMap<>();

    QuarkusConfigModel() {
        ObjectMapper json = new ObjectMapper();
        try {
            for (URL url : Collections.list(getClass().getClassLoader().getResources(MODEL))) {
                try (InputStream in = url.openStream()) {
                    add(json.readTree(in));
                }
            }
            Path health =
                    deploymentJar(
                            "io.quarkus.smallrye.health.runtime.SmallRyeHealthRecorder",
                            "quarkus-smallrye-health");
            if (health != null) {
                try (ZipFile zip = new ZipFile(health.toFile());
                        InputStream in = zip.getInputStream(zip.getEntry(MODEL))) {
                    add(json.readTree(in));
                }
            } else {
                // Not downloaded (an offline build that never built the app): smallrye-health's
                // documented defaults, as its SmallRyeHealthBuildTimeConfig declares them.
                for (String[] d :
                        new String[][] {
                            {"root-path", "health"},
                            {"readiness-path", "ready"},
                            {"liveness-path", "live"},
                            {"startup-path", "started"}
                        }) {
                    String name = "quarkus.smallrye-health." + d[0];
                    byName.putIfAbsent(
                            name,
                            new Property(
                                    name, AppConfig.toEnv(name), d[1], "quarkus-smallrye-health"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Property byEnv(String env) {
        return byEnv.get(env);
    }

    /** The declared default, or null for an unknown property or one without a default. */
    String defaultValue(String property) {
        Property p = byName.get(property);
        return p != null ? p.defaultValue() : null;
    }

    private void add(JsonNode model) {
        for (JsonNode root : model.path("configRoots")) {
            walk(root.path("items"), root.path("extension").path("artifactId").asText());
        }
    }

    private void walk(JsonNode items, String extension) {
        for (JsonNode item : items) {
            if (item.has("items")) {
                walk(item.get("items"), extension);
            } else if (item.has("path")) {
                JsonNode path = item.get("path");
                JsonNode def = item.get("defaultValue");
                Property p =
                        new Property(
                                path.path("property").asText(),
                                path.path("environmentVariable").asText(),
                                def == null || def.isNull() ? null : def.asText(),
                                extension);
                byEnv.putIfAbsent(p.env(), p);
                byName.putIfAbsent(p.name(), p);
            }
        }
    }

    /**
     * io/quarkus/X/ver/X-ver.jar -> io/quarkus/X-deployment/ver/X-deployment-ver.jar, if present.
     */
    private static Path deploymentJar(String runtimeClass, String artifact) {
        try {
            Class<?> c =
                    Class.forName(runtimeClass, false, QuarkusConfigModel.class.getClassLoader());
            Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path version = jar.getParent();
            Path dep =
                    version.getParent()
                            .resolveSibling(artifact + "-deployment")
                            .resolve(version.getFileName())
                            .resolve(artifact + "-deployment-" + version.getFileName() + ".jar");
            return Files.isRegularFile(dep) ? dep : null;
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
