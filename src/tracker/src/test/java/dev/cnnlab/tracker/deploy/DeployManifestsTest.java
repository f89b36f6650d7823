package dev.cnnlab.tracker.deploy;

import static dev.cnnlab.tracker.deploy.DeployFiles.composeEnv;
import static dev.cnnlab.tracker.deploy.DeployFiles.env;
import static dev.cnnlab.tracker.deploy.DeployFiles.isDirectory;
import static dev.cnnlab.tracker.deploy.DeployFiles.isOurs;
import static dev.cnnlab.tracker.deploy.DeployFiles.list;
import static dev.cnnlab.tracker.deploy.DeployFiles.map;
import static dev.cnnlab.tracker.deploy.DeployFiles.mountFor;
import static dev.cnnlab.tracker.deploy.DeployFiles.ours;
import static dev.cnnlab.tracker.deploy.DeployFiles.resolvePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.deploy.DeployFiles.Dockerfile;
import dev.cnnlab.tracker.deploy.DeployFiles.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/ in step with the applications: parses every manifest, Dockerfile and compose file
 * and checks it against what the tracker and the function actually read (application.properties,
 * the code's config names, the Quarkus extensions' config model) and what the build produces. A
 * renamed property, a moved health path, a changed port or a missing COPY source fails here rather
 * than in a cluster. A plain JUnit test: no Quarkus boot, no Docker, no cluster.
 */
class DeployManifestsTest {
    /** Variables the JVM or the base image reads, not the application. */
    private static final Set<String> NOT_CONFIG =
            Set.of("JAVA_TOOL_OPTIONS", "JAVA_HOME", "PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "TZ");
    /** Keys of the Secret CloudNativePG writes for a cluster's application user: "<cluster>-app". */
    private static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "user", "password", "dbname",
            "host", "port", "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri", "pgpass");
    private static final Pattern CONFIG_TOKEN = Pattern.compile("\\b(?:CNNLAB|QUARKUS)_[A-Z0-9_]*[A-Z0-9]\\b");

    private static DeployFiles deploy;
    private static Map<String, AppConfig> apps;

    @BeforeAll
    static void load() {
        deploy = new DeployFiles(DeployFiles.findRepo());
        QuarkusConfigModel quarkus = new QuarkusConfigModel();
        apps = Map.of("tracker", new AppConfig(deploy.repo, "tracker", quarkus),
                "function", new AppConfig(deploy.repo, "function", quarkus));
    }

    @Test
    void everyManifestParsesAndKustomizeListsThemAll() {
        assertFalse(deploy.yamlFiles().isEmpty(), "no YAML under deploy/");
        for (Path f : deploy.yamlFiles()) {
            assertFalse(DeployFiles.load(f).isEmpty(), f + " holds no document");
        }
        for (Manifest m : deploy.manifests()) {
            assertNotNull(m.doc().get("apiVersion"), m + ": no apiVersion");
            assertNotNull(m.doc().get("kind"), m + ": no kind");
            assertNotNull(map(m.doc(), "metadata").get("name"), m + ": no metadata.name");
        }
        Path k8s = deploy.dir.resolve("k8s");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) DeployFiles.load(k8s.resolve("kustomization.yaml")).get(0).get("resources");
        Set<String> onDisk = deploy.yamlFiles().stream().filter(f -> f.getParent().equals(k8s))
                .map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, new TreeSet<>(resources), "deploy/k8s/kustomization.yaml resources vs files");
    }

    @Test
    void containerPortsMatchTheApplicationsHttpPort() {
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                int port = app(c).httpPort();
                List<Map<String, Object>> ports = list(c, "ports");
                assertFalse(ports.isEmpty(), m + ": container declares no port");
                for (Map<String, Object> p : ports) {
                    assertEquals(port, p.get("containerPort"), m + ": containerPort vs quarkus.http.port");
                }
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    Object probePort = map(c, probe, "httpGet").get("port");
                    if (probePort != null) {
                        assertEquals(port, resolvePort(c, probePort), m + ": " + probe + " port");
                    }
                }
            }
        }
        for (Manifest svc : deploy.kind("Service")) {
            if (svc.isKnative()) {
                continue;
            }
            List<Manifest> selected = deploy.selectedBy(svc);
            assertFalse(selected.isEmpty(), svc + " selects no pod template");
            for (Map<String, Object> p : list(map(svc.doc(), "spec"), "ports")) {
                for (Manifest w : selected) {
                    Map<String, Object> c = ours(w.containers()).get(0);
                    assertEquals(app(c).httpPort(), resolvePort(c, p.get("targetPort")), svc + " targetPort on " + w);
                }
            }
        }
        for (Path f : deploy.dockerfiles()) {
            Dockerfile d = Dockerfile.parse(f);
            assertEquals(List.of(String.valueOf(appOfDockerfile(f).httpPort())), d.args("EXPOSE"), f + ": EXPOSE");
        }
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            if (isOurs(s.getValue().get("image"))) {
                for (Object p : (List<?>) s.getValue().getOrDefault("ports", List.of())) {
                    String target = String.valueOf(p).replaceAll("^.*:", "").replaceAll("/.*$", "");
                    assertEquals(String.valueOf(app(s.getValue()).httpPort()), target, "compose " + s.getKey() + " port");
                }
            }
        }
    }

    @Test
    void probesUseTheSmallRyeHealthPaths() {
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                AppConfig app = app(c);
                assertTrue(app.hasDependency("quarkus-smallrye-health"), app.name + " has no quarkus-smallrye-health");
                assertEquals(app.healthPath("readiness"), map(c, "readinessProbe", "httpGet").get("path"), m + ": readiness");
                assertEquals(app.healthPath("liveness"), map(c, "livenessProbe", "httpGet").get("path"), m + ": liveness");
                Object startup = map(c, "startupProbe", "httpGet").get("path");
                if (startup != null) {
                    assertEquals(app.healthPath("startup"), startup, m + ": startup");
                }
            }
            // An init container that waits for another workload's readiness must ask the right URL.
            for (Map<String, Object> init : m.initContainers()) {
                Matcher url = Pattern.compile("http://([\\w-]+)(?::(\\d+))?(/[\\w/.-]*)").matcher(String.valueOf(init.get("command")));
                while (url.find()) {
                    Manifest svc = deploy.kind("Service").stream().filter(s -> s.name().equals(url.group(1))).findFirst()
                            .orElseThrow(() -> new AssertionError(m + ": init container calls unknown Service " + url.group(1)));
                    Object svcPort = list(map(svc.doc(), "spec"), "ports").get(0).get("port");
                    assertEquals(String.valueOf(svcPort), url.group(2) == null ? "80" : url.group(2), m + ": init port");
                    assertEquals(app(ours(deploy.selectedBy(svc).get(0).containers()).get(0)).healthPath("readiness"),
                            url.group(3), m + ": init container's readiness URL");
                }
            }
        }
    }

    @Test
    void everyEnvironmentVariableMapsToConfiguration() {
        Set<String> unknown = new TreeSet<>();
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                for (String env : env(c).keySet()) {
                    check(app(c), env, m.toString(), unknown);
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            if (isOurs(s.getValue().get("image"))) {
                for (String env : composeEnv(s.getValue()).keySet()) {
                    check(app(s.getValue()), env, "compose " + s.getKey(), unknown);
                }
            }
        }
        for (Path f : deploy.dockerfiles()) {
            for (String env : Dockerfile.parse(f).env().keySet()) {
                check(appOfDockerfile(f), env, f.toString(), unknown);
            }
        }
        // Names in comments and in the README rot too: each must mean something to one of the apps.
        List<Path> docs = new ArrayList<>(deploy.yamlFiles());
        docs.add(deploy.dir.resolve("README.md"));
        docs.addAll(deploy.dockerfiles());
        for (Path f : docs) {
            Matcher m = CONFIG_TOKEN.matcher(AppConfig.read(f));
            while (m.find()) {
                if (apps.values().stream().allMatch(a -> a.explain(m.group()) == null)) {
                    unknown.add(m.group() + " in " + deploy.repo.relativize(f));
                }
            }
        }
        assertTrue(unknown.isEmpty(), "environment variables no application reads: " + unknown);
    }

    @Test
    void onlyTheApiMigratesTheSchemaAndOnlyWorkersTrain() {
        List<Manifest> api = deploy.selectedBy(deploy.kind("Service").stream().filter(s -> !s.isKnative()).findFirst().orElseThrow());
        int workers = 0;
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                if (!app(c).name.equals("tracker")) {
                    continue;
                }
                Map<String, Object> env = env(c);
                boolean isApi = api.contains(m);
                assertEquals(isApi ? "true" : "false", literal(env, "QUARKUS_FLYWAY_MIGRATE_AT_START"), m + ": Flyway");
                int threads = Integer.parseInt(String.valueOf(literal(env, "CNNLAB_WORKERS")));
                assertTrue(isApi ? threads == 0 : threads >= 1, m + ": CNNLAB_WORKERS=" + threads);
                workers += isApi ? 0 : 1;
            }
        }
        assertTrue(workers >= 2, "expected a CPU and a GPU worker Deployment, found " + workers);
        Map<String, Object> tracker = deploy.composeServices().get("tracker");
        assertEquals("true", String.valueOf(composeEnv(tracker).get("QUARKUS_FLYWAY_MIGRATE_AT_START")), "compose Flyway");
        assertTrue(Integer.parseInt(String.valueOf(composeEnv(tracker).get("CNNLAB_WORKERS"))) >= 1, "compose workers");
    }

    @Test
    void gpuWorkersRequestAGpuAndRunTheCudaBuild() {
        int gpuWorkloads = 0;
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                boolean cuda = String.valueOf(c.get("image")).endsWith(":cuda");
                Object gpus = map(c, "resources", "limits").get("nvidia.com/gpu");
                if (cuda) {
                    gpuWorkloads++;
                    assertEquals("1", String.valueOf(gpus), m + ": nvidia.com/gpu limit");
                    assertFalse(map(m.podSpec(), "nodeSelector").isEmpty(), m + ": no nodeSelector");
                    assertTrue(list(m.podSpec(), "tolerations").stream().anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))),
                            m + ": no nvidia.com/gpu toleration");
                } else {
                    assertNull(gpus, m + ": asks for a GPU without the CUDA image");
                }
            }
        }
        assertEquals(1, gpuWorkloads, "GPU worker Deployments");
        // The CUDA base image must match the CUDA version of ND4J's backend in the cuda profile.
        String dockerfile = deploy.readmeBuilds().entrySet().stream().filter(e -> e.getValue().endsWith(":cuda"))
                .findFirst().orElseThrow().getKey();
        Dockerfile d = Dockerfile.parse(deploy.repo.resolve(dockerfile));
        List<String> from = d.args("FROM");
        String base = from.get(from.size() - 1);
        Matcher nd4j = Pattern.compile("nd4j-cuda-(\\d+\\.\\d+)").matcher(deploy.profileText("cuda"));
        assertTrue(nd4j.find(), "the cuda Maven profile names no nd4j-cuda-<version> artifact");
        assertTrue(base.startsWith("nvidia/cuda:" + nd4j.group(1) + "."), base + " vs nd4j-cuda-" + nd4j.group(1));
    }

    @Test
    void databaseCredentialsComeFromTheOperatorsSecret() {
        List<Manifest> clusters = deploy.kind("Cluster");
        assertEquals(1, clusters.size(), "CloudNativePG Clusters");
        String secret = clusters.get(0).name() + "-app";
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                if (!app(c).name.equals("tracker")) {
                    continue;
                }
                Map<String, Object> env = env(c);
                for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                        "QUARKUS_DATASOURCE_PASSWORD")) {
                    assertTrue(env.get(name) instanceof Map, m + ": " + name + " must come from a Secret");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ref = map((Map<String, Object>) env.get(name), "valueFrom", "secretKeyRef");
                    assertEquals(secret, ref.get("name"), m + ": " + name + " Secret");
                    assertTrue(CNPG_APP_SECRET_KEYS.contains(String.valueOf(ref.get("key"))), m + ": key " + ref.get("key"));
                }
            }
        }
        assertTrue(deploy.kind("Secret").isEmpty(), "no Secret is committed: the operator or the operator's human writes it");
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            composeEnv(s.getValue()).forEach((k, v) -> {
                if (k.contains("PASSWORD")) {
                    assertTrue(String.valueOf(v).matches("\\$\\{\\w+(:?[?-][^}]*)?}"),
                            "compose " + s.getKey() + ": " + k + " must be ${...} from the environment");
                }
            });
        }
    }

    @Test
    void dataDirectoriesLiveOnTheSharedVolume() {
        Map<String, Manifest> claims = deploy.kind("PersistentVolumeClaim").stream()
                .collect(Collectors.toMap(Manifest::name, m -> m));
        Set<String> trackerClaims = new TreeSet<>();
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> c : ours(m.containers())) {
                Map<String, String> claimOfVolume = new LinkedHashMap<>();
                for (Map<String, Object> v : list(m.podSpec(), "volumes")) {
                    claimOfVolume.put(String.valueOf(v.get("name")),
                            String.valueOf(map(v, "persistentVolumeClaim").get("claimName")));
                }
                Map<String, String> mounts = new LinkedHashMap<>();
                list(c, "volumeMounts").forEach(v -> mounts.put(String.valueOf(v.get("mountPath")), String.valueOf(v.get("name"))));
                for (Map.Entry<String, Object> e : env(c).entrySet()) {
                    if (isDirectory(e)) {
                        String mount = mountFor(mounts.keySet(), String.valueOf(e.getValue()));
                        assertNotNull(mount, m + ": " + e.getKey() + "=" + e.getValue() + " is on no volume");
                        String claim = claimOfVolume.get(mounts.get(mount));
                        Manifest pvc = claims.get(claim);
                        assertNotNull(pvc, m + ": " + e.getKey() + " is not on a PersistentVolumeClaim");
                        assertTrue(String.valueOf(map(pvc.doc(), "spec").get("accessModes")).contains("ReadWriteMany"),
                                pvc + " must be ReadWriteMany: every worker writes to it");
                        trackerClaims.add(claim);
                    }
                }
            }
        }
        assertEquals(1, trackerClaims.size(), "API and workers must share one volume: " + trackerClaims);
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            Set<String> targets = ((List<?>) s.getValue().getOrDefault("volumes", List.of())).stream()
                    .map(v -> String.valueOf(v).split(":")[1]).collect(Collectors.toSet());
            for (Map.Entry<String, Object> e : composeEnv(s.getValue()).entrySet()) {
                if (isDirectory(e)) {
                    assertNotNull(mountFor(targets, String.valueOf(e.getValue())), "compose " + s.getKey() + ": " + e);
                }
            }
        }
        for (Path f : deploy.dockerfiles()) {
            Dockerfile d = Dockerfile.parse(f);
            for (Map.Entry<String, String> e : d.env().entrySet()) {
                if (isDirectory(Map.entry(e.getKey(), e.getValue()))) {
                    assertNotNull(mountFor(d.args("VOLUME"), e.getValue()), f + ": " + e + " is no VOLUME");
                }
            }
        }
    }

    @Test
    void imagesAreBuiltFromTheDockerfilesTheReadmeNames() {
        Map<String, String> builds = deploy.readmeBuilds();
        for (Path f : deploy.dockerfiles()) {
            String rel = deploy.repo.relativize(f).toString().replace('\\', '/');
            String tag = builds.get(rel);
            assertNotNull(tag, "deploy/README.md never builds " + rel);
            Matcher m = DeployFiles.OUR_IMAGE.matcher(tag);
            assertTrue(m.matches(), rel + " is built as " + tag + ", not cnnlab/<module>:<variant>");
            assertEquals(f.getParent().getFileName().toString(), m.group(1), rel + " builds another module's image");
            assertEquals(Map.of(rel, tag), DeployFiles.builds(Dockerfile.parse(f).comments()), rel + ": header's docker build");
        }
        for (String dockerfile : builds.keySet()) {
            assertTrue(Files.exists(deploy.repo.resolve(dockerfile)), "README builds a missing " + dockerfile);
        }
        List<Object> used = new ArrayList<>();
        for (Manifest m : deploy.workloads()) {
            m.containers().forEach(c -> used.add(c.get("image")));
        }
        deploy.composeServices().values().forEach(s -> used.add(s.get("image")));
        for (Object image : used) {
            if (String.valueOf(image).startsWith("cnnlab/")) {
                assertTrue(builds.containsValue(String.valueOf(image)), image + " is not built by deploy/README.md");
            }
        }
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            Map<String, Object> build = map(s.getValue(), "build");
            if (!build.isEmpty()) {
                assertEquals(deploy.repo.normalize(), deploy.dir.resolve(String.valueOf(build.get("context"))).normalize(),
                        "compose " + s.getKey() + ": the build context must be the repository root");
                assertEquals(builds.get(String.valueOf(build.get("dockerfile"))), s.getValue().get("image"),
                        "compose " + s.getKey() + ": image vs the README's tag for " + build.get("dockerfile"));
            }
        }
    }

    @Test
    void dockerfilesCopyWhatTheRepositoryAndTheBuildProvide() {
        for (Path f : deploy.dockerfiles()) {
            Dockerfile d = Dockerfile.parse(f);
            Path ignoreFile = f.resolveSibling(f.getFileName() + ".dockerignore");
            List<String> ignore = Files.exists(ignoreFile) ? List.of(AppConfig.read(ignoreFile).split("\n")) : List.of();
            for (String copy : d.args("COPY")) {
                List<String> words = new ArrayList<>(List.of(copy.split("\\s+")));
                boolean fromStage = words.stream().anyMatch(w -> w.startsWith("--from="));
                words.removeIf(w -> w.startsWith("--"));
                for (String src : words.subList(0, words.size() - 1)) {
                    String rel = src.replaceFirst("^/code/", "");
                    if (rel.contains("target/quarkus-app")) {
                        assertFastJarEntry(f, rel);
                    } else if (rel.contains("target/")) {
                        assertTrue(fromStage, f + ": copies build output " + src + " the host never built");
                    } else if (!fromStage) {
                        assertTrue(Files.exists(deploy.repo.resolve(src)), f + ": COPY source " + src + " does not exist");
                    }
                    if (!fromStage) {
                        assertFalse(Dockerignore.ignores(ignore, src), f + ": " + src + " is excluded by " + ignoreFile.getFileName());
                    }
                }
            }
            for (String run : d.args("RUN")) {
                Matcher profile = Pattern.compile("\\s-P([\\w,.-]+)").matcher(run);
                while (profile.find()) {
                    for (String id : profile.group(1).split(",")) {
                        assertFalse(deploy.profileText(id).isEmpty(), f + ": no pom in the reactor has a profile " + id);
                    }
                }
                Matcher pl = Pattern.compile("\\s-pl\\s+(\\S+)").matcher(run);
                while (pl.find()) {
                    for (String module : pl.group(1).split(",")) {
                        assertTrue(Files.exists(deploy.repo.resolve(module).resolve("pom.xml")), f + ": no module " + module);
                    }
                }
            }
        }
    }

    @Test
    void theFunctionScalesToZeroWithAConcurrencyTarget() {
        List<Manifest> knative = deploy.manifests().stream().filter(Manifest::isKnative).collect(Collectors.toList());
        assertEquals(1, knative.size(), "Knative Services");
        Manifest fn = knative.get(0);
        Map<String, Object> annotations = map(fn.template(), "metadata", "annotations");
        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"), fn + ": min-scale");
        int target = Integer.parseInt(String.valueOf(annotations.get("autoscaling.knative.dev/target")));
        assertTrue(target > 0, fn + ": target " + target);
        Object cap = fn.podSpec().get("containerConcurrency");
        assertTrue(cap == null || (Integer) cap == 0 || (Integer) cap >= target, fn + ": containerConcurrency < target");
        Map<String, Object> c = fn.containers().get(0);
        assertEquals("function", app(c).name, fn + " does not run the function image");
        assertNotNull(map(c, "resources", "limits").get("memory"), fn + ": no memory limit");
        assertNotNull(map(c, "resources", "requests").get("cpu"), fn + ": no cpu request");
    }

    @Test
    void queueScalerCountsJobsTheSchemaHas() {
        String schema = migrations();
        for (Manifest so : deploy.kind("ScaledObject")) {
            String target = String.valueOf(map(so.doc(), "spec", "scaleTargetRef").get("name"));
            assertTrue(deploy.workloads().stream().anyMatch(w -> w.name().equals(target)), so + " scales unknown " + target);
            String cluster = deploy.kind("Cluster").get(0).name();
            for (Map<String, Object> trigger : list(map(so.doc(), "spec"), "triggers")) {
                Map<String, Object> meta = map(trigger, "metadata");
                assertTrue(String.valueOf(meta.get("host")).startsWith(cluster + "-rw."), so + ": host " + meta.get("host"));
                String query = String.valueOf(meta.get("query"));
                Matcher from = Pattern.compile("(?i)\\bFROM\\s+(\\w+)").matcher(query);
                assertTrue(from.find(), so + ": no FROM in " + query);
                Matcher table = Pattern.compile("(?is)CREATE TABLE " + from.group(1) + "\\s*\\((.*?)\\n\\);").matcher(schema);
                assertTrue(table.find(), so + ": migrations/ create no table " + from.group(1));
                Matcher columns = Pattern.compile("(?i)\\b(?:WHERE|AND|OR)\\s+(\\w+)").matcher(query);
                while (columns.find()) {
                    assertTrue(table.group(1).matches("(?s).*\\b" + columns.group(1) + "\\b.*"),
                            so + ": " + from.group(1) + " has no column " + columns.group(1));
                }
                Matcher states = Pattern.compile("'(\\w+)'").matcher(query);
                while (states.find()) {
                    assertTrue(table.group(1).contains("'" + states.group(1) + "'"), so + ": no state " + states.group(1));
                }
                String auth = String.valueOf(map(trigger, "authenticationRef").get("name"));
                Manifest ta = deploy.kind("TriggerAuthentication").stream().filter(t -> t.name().equals(auth)).findFirst()
                        .orElseThrow(() -> new AssertionError(so + ": no TriggerAuthentication " + auth));
                list(map(ta.doc(), "spec"), "secretTargetRef").forEach(ref -> assertEquals(cluster + "-app", ref.get("name")));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** All Flyway migrations, in order. */
    private static String migrations() {
        try (var files = Files.list(deploy.repo.resolve("migrations"))) {
            return files.sorted().map(AppConfig::read).collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(AppConfig app, String env, String where, Set<String> unknown) {
        if (!NOT_CONFIG.contains(env) && app.explain(env) == null) {
            unknown.add(env + " (" + app.name + ", " + where + ")");
        }
    }

    /** A fast-jar entry (lib/, app/, quarkus/, quarkus-run.jar) of a module that builds one. */
    private static void assertFastJarEntry(Path dockerfile, String src) {
        Matcher m = Pattern.compile("(src/\\w+)/target/quarkus-app/?(.*)").matcher(src);
        assertTrue(m.matches(), dockerfile + ": unexpected quarkus-app path " + src);
        Path module = deploy.repo.resolve(m.group(1));
        String pom = AppConfig.read(module.resolve("pom.xml"));
        assertTrue(pom.contains("quarkus-maven-plugin") && pom.contains("<goal>build</goal>"),
                dockerfile + ": " + m.group(1) + " does not build a Quarkus app");
        AppConfig app = apps.get(module.getFileName().toString());
        String type = app == null ? null : app.prod("quarkus.package.jar.type");
        assertTrue(type == null || type.equals("fast-jar"), dockerfile + ": " + m.group(1) + " packages " + type);
        String entry = m.group(2).replaceAll("/$", "");
        assertTrue(Set.of("lib", "app", "quarkus", "quarkus-run.jar").contains(entry),
                dockerfile + ": " + src + " is not part of the fast-jar layout");
    }

    private static AppConfig app(Map<String, Object> containerOrService) {
        String image = String.valueOf(containerOrService.get("image"));
        Matcher m = DeployFiles.OUR_IMAGE.matcher(image);
        assertTrue(m.matches(), image + " is not a cnnlab image");
        AppConfig app = apps.get(m.group(1));
        assertNotNull(app, image + " names no Quarkus app of the reactor");
        return app;
    }

    private static AppConfig appOfDockerfile(Path dockerfile) {
        AppConfig app = apps.get(dockerfile.getParent().getFileName().toString());
        assertNotNull(app, dockerfile + " is not under deploy/<app>/");
        return app;
    }

    private static Object literal(Map<String, Object> env, String name) {
        Object v = env.get(name);
        assertTrue(v instanceof String, name + " must be set to a literal, is " + v);
        return v;
    }
}
