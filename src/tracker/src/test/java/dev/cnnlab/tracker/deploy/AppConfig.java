package dev.cnnlab.tracker.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one Quarkus application of the reactor (src/tracker, src/function) accepts as configuration,
 * read from its sources rather than by booting it: application.properties, the names its code reads
 * (@ConfigProperty, @ConfigMapping, System.getenv in it and in the reactor modules it depends on),
 * its pom's dependencies, and the Quarkus extensions' own config model.
 */
final class AppConfig {
    private static final Pattern CONFIG_PROPERTY =
            Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING =
            Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD =
            Pattern.compile(
                    "(?m)^\\s*(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?(?:@\\w+(?:\\([^)]*\\))?\\s*)*[\\w.<>,"
                        + " ?\\[\\]]+\\s+(\\w+)\\(\\)\\s*;");

    /**
     * System.getenv("X"), or a helper's "CNNLAB_X" literal naming the variable it falls back to.
     */
    private static final Pattern GETENV =
            Pattern.compile("getenv\\(\\s*\"([A-Z0-9_]+)\"\\s*\\)|\"(CNNLAB_[A-Z0-9_]+)\"");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern REACTOR_DEP =
            Pattern.compile("<artifactId>cnnlab-(\\w+)</artifactId>");

    /** Extensions every Quarkus REST application has, whether or not its pom names them. */
    private static final Set<String> CORE_EXTENSIONS =
            Set.of("quarkus-core", "quarkus-arc", "quarkus-vertx-http", "quarkus-vertx");

    final String name;
    final Path module;
    private final Properties properties = new Properties();
    private final Set<String> propertyNames = new HashSet<>();
    private final Set<String> envReads = new HashSet<>();
    private final Set<String> artifacts = new HashSet<>();
    private final QuarkusConfigModel quarkus;

    AppConfig(Path repo, String name, QuarkusConfigModel quarkus) {
        this.name = name;
        this.module = repo.resolve("src").resolve(name);
        this.quarkus = quarkus;
        Path props = module.resolve("src/main/resources/application.properties");
        if (Files.exists(props)) {
            try (Reader in = Files.newBufferedReader(props)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String key : properties.stringPropertyNames()) {
            propertyNames.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        String pom = read(module.resolve("pom.xml"));
        artifacts.addAll(all(ARTIFACT, pom, 1));
        for (String file : javaSources(module)) {
            propertyNames.addAll(all(CONFIG_PROPERTY, file, 1));
            Matcher mapping = CONFIG_MAPPING.matcher(file);
            if (mapping.find()) {
                Matcher m = MAPPING_METHOD.matcher(file.substring(mapping.end()));
                while (m.find()) {
                    String prop = m.group(1) != null ? m.group(1) : kebab(m.group(2));
                    propertyNames.add(mapping.group(1) + "." + prop);
                }
            }
        }
        // Environment variables read directly, here and in the reactor modules this app uses.
        for (String dep : reactorModules(repo, name)) {
            for (String file : javaSources(repo.resolve("src").resolve(dep))) {
                Matcher m = GETENV.matcher(file);
                while (m.find()) {
                    envReads.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
    }

    /**
     * The value the prod profile sees, or the Quarkus default when application.properties is
     * silent.
     */
    String prod(String key) {
        String v = properties.getProperty("%prod." + key, properties.getProperty(key));
        if (v == null) {
            return quarkus.defaultValue(key);
        }
        // A whole-value expression such as ${PORT:8080} or ${cnnlab.data-dir}: resolve it.
        Matcher expr = EXPRESSION.matcher(v.trim());
        if (expr.matches()) {
            String inner = prod(expr.group(1));
            return inner != null ? inner : expr.group(2);
        }
        return v;
    }

    /**
     * True when the application has a property file at all (it may be mid-edit or not written yet).
     */
    boolean hasProperties() {
        return !properties.isEmpty();
    }

    int httpPort() {
        return Integer.parseInt(prod("quarkus.http.port"));
    }

    boolean hasDependency(String artifactId) {
        return artifacts.contains(artifactId);
    }

    /**
     * The path smallrye-health serves a probe at: "ready", "live" or "started" are the defaults.
     */
    String healthPath(String kind) {
        String nonApp =
                join(
                        prod("quarkus.http.root-path"),
                        prod("quarkus.http.non-application-root-path"));
        String health = join(nonApp, prod("quarkus.smallrye-health.root-path"));
        return join(health, prod("quarkus.smallrye-health." + kind + "-path"));
    }

    /**
     * Why an environment variable is accepted, or null when nothing reads it. Quarkus maps a
     * property to its variable by upper-casing it and replacing every other character with '_'.
     */
    String explain(String env) {
        for (String p : propertyNames) {
            if (toEnv(p).equals(env)) {
                return p;
            }
        }
        if (envReads.contains(env)) {
            return "System.getenv(\"" + env + "\")";
        }
        QuarkusConfigModel.Property p = quarkus.byEnv(env);
        if (p != null
                && (CORE_EXTENSIONS.contains(p.extension())
                        || artifacts.contains(p.extension())
                        || quarkusExtensionsOnThisClasspath())) {
            return p.name() + " (" + p.extension() + ")";
        }
        return null;
    }

    /**
     * The test runs on the tracker's classpath, so every extension in the model is the tracker's.
     */
    private boolean quarkusExtensionsOnThisClasspath() {
        return name.equals("tracker");
    }

    static String toEnv(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String join(String base, String path) {
        if (path.startsWith("/")) {
            return path.endsWith("/") && path.length() > 1
                    ? path.substring(0, path.length() - 1)
                    : path;
        }
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + "/" + path;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * This module and the reactor modules it depends on, transitively (tracker: training,
     * inference).
     */
    private static Set<String> reactorModules(Path repo, String module) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new java.util.ArrayList<>(List.of(module));
        while (!todo.isEmpty()) {
            String m = todo.remove(todo.size() - 1);
            Path pom = repo.resolve("src").resolve(m).resolve("pom.xml");
            if (seen.add(m) && Files.exists(pom)) {
                String text = read(pom);
                // Skip the module's own artifactId (the first cnnlab-* after <parent>).
                for (String dep :
                        all(REACTOR_DEP, text.substring(text.indexOf("</parent>") + 1), 1)) {
                    if (!dep.equals(m) && !dep.equals("parent")) {
                        todo.add(dep);
                    }
                }
            }
        }
        return seen;
    }

    private static List<String> javaSources(Path module) {
        Path dir = module.resolve("src/main/java");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(AppConfig::read)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> all(Pattern p, String text, int group) {
        Set<String> out = new HashSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(group));
        }
        return out;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
