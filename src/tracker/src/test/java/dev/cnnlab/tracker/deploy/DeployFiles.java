package dev.cnnlab.tracker.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files under deploy/, parsed: YAML manifests, Dockerfiles, and the build commands in
 * README.md.
 */
final class DeployFiles {
    /** Our images are cnnlab/<module>:<variant>; the module is src/<module>. */
    static final Pattern OUR_IMAGE = Pattern.compile("cnnlab/(\\w+):(\\S+)");

    final Path repo;
    final Path dir;

    DeployFiles(Path repo) {
        this.repo = repo;
        this.dir = repo.resolve("deploy");
    }

    /**
     * The repository root: the nearest folder above the working directory holding mvnw and deploy/,
     * or -Dcnnlab.deploy.repo (to try the checks on a copy with a deliberately broken manifest).
     */
    static Path findRepo() {
        String override = System.getProperty("cnnlab.deploy.repo");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no repository root (mvnw + deploy/) above " + Path.of("").toAbsolutePath());
    }

    List<Path> files(String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> yamlFiles() {
        List<Path> out = new ArrayList<>(files(".yaml"));
        out.addAll(files(".yml"));
        return out;
    }

    List<Path> dockerfiles() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("Dockerfile"))
                    .filter(f -> !f.getFileName().toString().endsWith(".dockerignore"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML file, as maps; fails on a YAML syntax error. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml.loadAll(AppConfig.read(file))) {
            if (doc != null) {
                if (!(doc instanceof Map)) {
                    throw new AssertionError(file + ": a document is not a mapping: " + doc);
                }
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    /**
     * Kubernetes and Knative objects: everything under deploy/k8s and deploy/knative but
     * kustomization.yaml.
     */
    List<Manifest> manifests() {
        List<Manifest> out = new ArrayList<>();
        for (Path f : yamlFiles()) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if ((rel.startsWith("k8s/") || rel.startsWith("knative/"))
                    && !rel.endsWith("kustomization.yaml")) {
                for (Map<String, Object> doc : load(f)) {
                    out.add(new Manifest(f, doc));
                }
            }
        }
        return out;
    }

    Map<String, Object> compose() {
        return load(dir.resolve("compose.yaml")).get(0);
    }

    /** docker build commands in deploy/README.md: Dockerfile (repository-relative) -> image tag. */
    Map<String, String> readmeBuilds() {
        return builds(AppConfig.read(dir.resolve("README.md")));
    }

    /** Every "docker build ... -f FILE ... -t IMAGE" in a text. */
    static Map<String, String> builds(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int at = line.indexOf("docker build");
            if (at < 0) {
                continue;
            }
            String[] words = line.substring(at).trim().split("\\s+");
            String file = null;
            String tag = null;
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("-f") || words[i].equals("--file")) {
                    file = words[i + 1];
                } else if (words[i].equals("-t") || words[i].equals("--tag")) {
                    tag = words[i + 1];
                }
            }
            if (file != null && tag != null) {
                out.put(file, tag);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- views over the manifests

    List<Manifest> kind(String kind) {
        return manifests().stream().filter(m -> m.kind().equals(kind)).collect(Collectors.toList());
    }

    /** Deployments and Knative Services: everything with a pod template. */
    List<Manifest> workloads() {
        return manifests().stream()
                .filter(m -> !m.template().isEmpty())
                .collect(Collectors.toList());
    }

    /** The Deployments whose pod template a Service selects. */
    List<Manifest> selectedBy(Manifest svc) {
        Map<String, Object> selector = map(svc.doc(), "spec", "selector");
        return workloads().stream()
                .filter(w -> !w.isKnative())
                .filter(
                        w ->
                                map(w.template(), "metadata", "labels")
                                        .entrySet()
                                        .containsAll(selector.entrySet()))
                .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> composeServices() {
        return (Map<String, Map<String, Object>>) (Map<String, ?>) map(compose(), "services");
    }

    /** The text of every <profile> with this id in the reactor's poms; empty when there is none. */
    String profileText(String id) {
        StringBuilder out = new StringBuilder();
        Matcher m =
                Pattern.compile(
                                "<profile>\\s*<id>" + Pattern.quote(id) + "</id>(.*?)</profile>",
                                Pattern.DOTALL)
                        .matcher("");
        List<Path> poms = new ArrayList<>(List.of(repo.resolve("pom.xml")));
        try (Stream<Path> modules = Files.list(repo.resolve("src"))) {
            modules.map(d -> d.resolve("pom.xml"))
                    .filter(Files::exists)
                    .sorted()
                    .forEach(poms::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path pom : poms) {
            m.reset(AppConfig.read(pom));
            while (m.find()) {
                out.append(m.group(1));
            }
        }
        return out.toString();
    }

    static boolean isOurs(Object image) {
        return OUR_IMAGE.matcher(String.valueOf(image)).matches();
    }

    /**
     * A container's env: name -> literal value, or name -> the whole entry (a Map) when it is
     * valueFrom.
     */
    static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            out.put(
                    String.valueOf(e.get("name")),
                    e.containsKey("value") ? String.valueOf(e.get("value")) : e);
        }
        return out;
    }

    /** A compose service's environment, written as a map or as a list of KEY=VALUE. */
    static Map<String, Object> composeEnv(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, Object> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            l.forEach(
                    e ->
                            out.put(
                                    String.valueOf(e).split("=", 2)[0],
                                    String.valueOf(e).split("=", 2)[1]));
        }
        return out;
    }

    /** A probe's or Service's port: a number, or the name of one of the container's ports. */
    static Object resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer) {
            return port;
        }
        return list(container, "ports").stream()
                .filter(p -> String.valueOf(port).equals(p.get("name")))
                .map(p -> p.get("containerPort"))
                .findFirst()
                .orElse("no container port named " + port);
    }

    /** The mount (or volume) that holds a path, or null. */
    static String mountFor(Iterable<String> mounts, String path) {
        for (String mount : mounts) {
            if (path.equals(mount) || path.startsWith(mount.endsWith("/") ? mount : mount + "/")) {
                return mount;
            }
        }
        return null;
    }

    /**
     * An environment variable that names a directory: *_DIR, *_CACHE or *_PATH set to an absolute
     * path.
     */
    static boolean isDirectory(Map.Entry<String, ?> env) {
        return String.valueOf(env.getValue()).startsWith("/")
                && env.getKey().matches(".*_(DIR|CACHE|PATH)");
    }

    /** The column list of a table the Flyway migrations create, or null. */
    String tableDefinition(String table) {
        Pattern create = Pattern.compile("(?is)CREATE TABLE " + table + "\\s*\\((.*?)\\n\\);");
        try (Stream<Path> files = Files.list(repo.resolve("migrations"))) {
            for (Path f : files.sorted().collect(Collectors.toList())) {
                Matcher m = create.matcher(AppConfig.read(f));
                if (m.find()) {
                    return m.group(1);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One Kubernetes or Knative object. */
    record Manifest(Path file, Map<String, Object> doc) {
        String kind() {
            return String.valueOf(doc.get("kind"));
        }

        String name() {
            return String.valueOf(map(doc, "metadata").get("name"));
        }

        /** The pod template of a Deployment or a Knative Service; empty for other kinds. */
        Map<String, Object> template() {
            return map(doc, "spec", "template");
        }

        boolean isKnative() {
            return String.valueOf(doc.get("apiVersion")).startsWith("serving.knative.dev/");
        }

        Map<String, Object> podSpec() {
            return map(template(), "spec");
        }

        List<Map<String, Object>> containers() {
            return list(podSpec(), "containers");
        }

        List<Map<String, Object>> initContainers() {
            return list(podSpec(), "initContainers");
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + file.getFileName() + ")";
        }
    }

    /** A Dockerfile's instructions, continuation lines joined, comments dropped. */
    record Dockerfile(Path file, List<String[]> instructions, String comments) {
        static Dockerfile parse(Path file) {
            List<String[]> out = new ArrayList<>();
            StringBuilder comments = new StringBuilder();
            StringBuilder current = new StringBuilder();
            for (String line : AppConfig.read(file).split("\n")) {
                String t = line.trim();
                if (t.startsWith("#")) {
                    comments.append(t).append('\n');
                    continue;
                }
                if (t.endsWith("\\")) {
                    current.append(t, 0, t.length() - 1).append(' ');
                    continue;
                }
                current.append(t);
                String full = current.toString().trim();
                current.setLength(0);
                if (!full.isEmpty()) {
                    String[] kv = full.split("\\s+", 2);
                    out.add(new String[] {kv[0].toUpperCase(), kv.length > 1 ? kv[1] : ""});
                }
            }
            return new Dockerfile(file, out, comments.toString());
        }

        List<String> args(String keyword) {
            return instructions.stream()
                    .filter(i -> i[0].equals(keyword))
                    .map(i -> i[1])
                    .collect(Collectors.toList());
        }

        /** A COPY source, and whether it comes from another stage or image (--from). */
        record Copy(String source, boolean fromStage) {}

        List<Copy> copies() {
            List<Copy> out = new ArrayList<>();
            for (String copy : args("COPY")) {
                List<String> words = new ArrayList<>(List.of(copy.split("\\s+")));
                boolean fromStage = words.stream().anyMatch(w -> w.startsWith("--from="));
                words.removeIf(w -> w.startsWith("--"));
                words.subList(0, words.size() - 1)
                        .forEach(src -> out.add(new Copy(src, fromStage)));
            }
            return out;
        }

        /** The image the last stage starts from. */
        String finalBase() {
            List<String> from = args("FROM");
            return from.get(from.size() - 1).split("\\s+")[0];
        }

        /** What RUN passes to Maven after a flag: "-P" gives profiles, "-pl" modules. */
        List<String> maven(String flag) {
            List<String> out = new ArrayList<>();
            Pattern p = Pattern.compile("\\s" + flag + "(?:\\s+|(?=\\w))([\\w/,.-]+)");
            for (String run : args("RUN")) {
                Matcher m = p.matcher(run);
                while (m.find()) {
                    out.addAll(List.of(m.group(1).split(",")));
                }
            }
            return out;
        }

        /**
         * The patterns of the Dockerfile's own ignore file (BuildKit: Dockerfile.x.dockerignore).
         */
        List<String> ignorePatterns() {
            Path ignore = file.resolveSibling(file.getFileName() + ".dockerignore");
            return Files.exists(ignore) ? List.of(AppConfig.read(ignore).split("\n")) : List.of();
        }

        /** ENV KEY=VALUE ... and the legacy ENV KEY VALUE. */
        Map<String, String> env() {
            Map<String, String> out = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
            for (String a : args("ENV")) {
                String first = a.split("\\s+", 2)[0];
                if (first.contains("=")) {
                    Matcher m = pair.matcher(a);
                    while (m.find()) {
                        out.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                    }
                } else {
                    String[] kv = a.split("\\s+", 2);
                    out.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) {
            Object next = cur == null ? null : cur.get(p);
            if (next != null && !(next instanceof Map)) {
                throw new AssertionError(p + " is not a mapping: " + next);
            }
            cur = (Map<String, Object>) next;
        }
        return cur == null ? Map.of() : cur;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }
}
