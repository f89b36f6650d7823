package dev.cnnlab.tracker.deploy;

import static dev.cnnlab.tracker.deploy.DeployFiles.composeEnv;
import static dev.cnnlab.tracker.deploy.DeployFiles.env;
import static dev.cnnlab.tracker.deploy.DeployFiles.isDirectory;
import static dev.cnnlab.tracker.deploy.DeployFiles.isOurs;
import static dev.cnnlab.tracker.deploy.DeployFiles.list;
import static dev.cnnlab.tracker.deploy.DeployFiles.map;
import static dev.cnnlab.tracker.deploy.DeployFiles.mountFor;
import static dev.cnnlab.tracker.deploy.DeployFiles.resolvePort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.deploy.DeployFiles.Dockerfile;
import dev.cnnlab.tracker.deploy.DeployFiles.Manifest;
import dev.cnnlab.training.arch.NativeMemory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps deploy/ in step with the applications: parses every manifest, Dockerfile and compose file
 * and checks it against what the tracker and the function actually read (application.properties,
 * the code's config names, the Quarkus extensions' config model) and what the build produces. A
 * renamed property, a moved health path, a changed port or a missing COPY source fails here rather
 * than in a cluster. A plain JUnit test: no Quarkus boot, no Docker, no cluster.
 */
class DeployManifestsTest {
    /** Variables the JVM, the base image or the C library (glibc's malloc: NativeMemory) reads, not the application. */
    private static final Set<String> NOT_CONFIG = Stream.concat(
                    Stream.of("JAVA_TOOL_OPTIONS", "JAVA_HOME", "PATH", "HOME", "LANG", "LC_ALL", "TZ"),
                    NativeMemory.ENVIRONMENT.keySet().stream())
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Keys of the Secret CloudNativePG writes for a cluster's application user: "<cluster>-app".
     */
    private static final Set<String> CNPG_APP_SECRET_KEYS =
            Set.of(
                    "username",
                    "user",
                    "password",
                    "dbname",
                    "host",
                    "port",
                    "uri",
                    "jdbc-uri",
                    "fqdn-uri",
                    "fqdn-jdbc-uri",
                    "pgpass");

    private static final List<String> DATASOURCE_ENV =
            List.of(
                    "QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD");
    private static final Pattern CONFIG_TOKEN =
            Pattern.compile("\\b(?:CNNLAB|QUARKUS)_[A-Z0-9_]*[A-Z0-9]\\b");

    private static DeployFiles deploy;
    private static Map<String, AppConfig> apps;

    /** One of our containers in a Deployment or Knative Service, with the app its image runs. */
    record Container(Manifest owner, Map<String, Object> spec, AppConfig app) {
        @Override
        public String toString() {
            return owner.toString();
        }
    }

    /** One of our services in compose.yaml. */
    record ComposeService(String name, Map<String, Object> spec, AppConfig app) {
        @Override
        public String toString() {
            return "compose service " + name;
        }
    }

    @BeforeAll
    static void load() {
        deploy = new DeployFiles(DeployFiles.findRepo());
        QuarkusConfigModel quarkus = new QuarkusConfigModel();
        apps =
                Map.of(
                        "tracker",
                        new AppConfig(deploy.repo, "tracker", quarkus),
                        "function",
                        new AppConfig(deploy.repo, "function", quarkus));
    }

    @Test
    void everyManifestParsesAndKustomizeListsThemAll() {
        assertFalse(deploy.yamlFiles().isEmpty(), "no YAML under deploy/");
        for (Path f : deploy.yamlFiles()) {
            assertFalse(DeployFiles.load(f).isEmpty(), f + " holds no document");
        }
        for (Manifest m : deploy.manifests()) {
            assertNotNull(m.doc().get("apiVersion"), m + ": no apiVersion");
            assertNotNull(map(m.doc(), "metadata").get("name"), m + ": no metadata.name");
        }
        Path k8s = deploy.dir.resolve("k8s");
        Map<String, Object> kustomization =
                DeployFiles.load(k8s.resolve("kustomization.yaml")).get(0);
        Set<String> onDisk =
                deploy.yamlFiles().stream()
                        .filter(f -> f.getParent().equals(k8s))
                        .map(f -> f.getFileName().toString())
                        .filter(n -> !n.equals("kustomization.yaml"))
                        .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                onDisk,
                new TreeSet<>((List<?>) kustomization.get("resources")),
                "deploy/k8s/kustomization.yaml resources vs the files beside it");
    }

    @Test
    void portsMatchTheApplicationsHttpPort() {
        for (Container c : ourContainers()) {
            int port = c.app().httpPort();
            List<Map<String, Object>> ports = list(c.spec(), "ports");
            assertFalse(ports.isEmpty(), c + ": the container declares no port");
            ports.forEach(p -> assertEquals(port, p.get("containerPort"), c + ": containerPort"));
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Object probePort = map(c.spec(), probe, "httpGet").get("port");
                if (probePort != null) {
                    assertEquals(port, resolvePort(c.spec(), probePort), c + ": " + probe);
                }
            }
        }
        for (Manifest svc : services()) {
            List<Container> selected =
                    ourContainers().stream()
                            .filter(c -> deploy.selectedBy(svc).contains(c.owner()))
                            .collect(Collectors.toList());
            assertFalse(selected.isEmpty(), svc + " selects none of our pods");
            for (Map<String, Object> p : list(map(svc.doc(), "spec"), "ports")) {
                selected.forEach(
                        c ->
                                assertEquals(
                                        c.app().httpPort(),
                                        resolvePort(c.spec(), p.get("targetPort")),
                                        svc + " targetPort on " + c));
            }
        }
        for (Path f : deploy.dockerfiles()) {
            assertEquals(
                    List.of(String.valueOf(appOfDockerfile(f).httpPort())),
                    Dockerfile.parse(f).args("EXPOSE"),
                    f + ": EXPOSE");
        }
        for (ComposeService s : ourComposeServices()) {
            for (Object p : (List<?>) s.spec().getOrDefault("ports", List.of())) {
                String target = String.valueOf(p).replaceAll("^.*:", "").replaceAll("/.*$", "");
                assertEquals(String.valueOf(s.app().httpPort()), target, s + ": port");
            }
        }
    }

    @Test
    void probesUseTheSmallRyeHealthPaths() {
        for (Container c : ourContainers()) {
            assertTrue(
                    c.app().hasDependency("quarkus-smallrye-health"),
                    c.app().name + " does not depend on quarkus-smallrye-health");
            assertEquals(
                    c.app().healthPath("readiness"),
                    probePath(c, "readinessProbe"),
                    c + ": readiness");
            assertEquals(
                    c.app().healthPath("liveness"),
                    probePath(c, "livenessProbe"),
                    c + ": liveness");
            Object startup = probePath(c, "startupProbe");
            if (startup != null) {
                assertEquals(c.app().healthPath("startup"), startup, c + ": startup");
            }
        }
        // An init container that waits for a Service's readiness must ask the right URL.
        Pattern url = Pattern.compile("http://([\\w-]+)(?::(\\d+))?(/[\\w/.-]*)");
        for (Manifest m : deploy.workloads()) {
            for (Map<String, Object> init : m.initContainers()) {
                Matcher u = url.matcher(String.valueOf(init.get("command")));
                while (u.find()) {
                    Manifest svc =
                            services().stream()
                                    .filter(s -> s.name().equals(u.group(1)))
                                    .findFirst()
                                    .orElse(null);
                    assertNotNull(
                            svc, m + ": the init container calls an unknown Service " + u.group(1));
                    Object port = list(map(svc.doc(), "spec"), "ports").get(0).get("port");
                    assertEquals(
                            String.valueOf(port),
                            u.group(2) == null ? "80" : u.group(2),
                            m + ": init port");
                    Container behind =
                            ourContainers().stream()
                                    .filter(c -> deploy.selectedBy(svc).contains(c.owner()))
                                    .findFirst()
                                    .orElseThrow();
                    assertEquals(
                            behind.app().healthPath("readiness"),
                            u.group(3),
                            m + ": init container URL");
                }
            }
        }
    }

    @Test
    void everyEnvironmentVariableMapsToConfiguration() {
        Set<String> unknown = new TreeSet<>();
        for (Container c : ourContainers()) {
            env(c.spec()).keySet().forEach(e -> check(c.app(), e, c.toString(), unknown));
        }
        for (ComposeService s : ourComposeServices()) {
            composeEnv(s.spec()).keySet().forEach(e -> check(s.app(), e, s.toString(), unknown));
        }
        for (Path f : deploy.dockerfiles()) {
            Dockerfile.parse(f)
                    .env()
                    .keySet()
                    .forEach(e -> check(appOfDockerfile(f), e, f.toString(), unknown));
        }
        // Names in comments and in the README rot too: each must mean something to one of the apps.
        List<Path> docs = new ArrayList<>(deploy.yamlFiles());
        docs.addAll(deploy.dockerfiles());
        docs.add(deploy.dir.resolve("README.md"));
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
        int workers = 0;
        for (Container c : ourContainers()) {
            if (!c.app().name.equals("tracker")) {
                continue;
            }
            boolean api =
                    services().stream().anyMatch(s -> deploy.selectedBy(s).contains(c.owner()));
            Map<String, Object> env = env(c.spec());
            assertEquals(
                    api ? "true" : "false",
                    literal(c, env, "QUARKUS_FLYWAY_MIGRATE_AT_START"),
                    c + ": only the API Deployment migrates");
            int threads = Integer.parseInt(literal(c, env, "CNNLAB_WORKERS"));
            assertTrue(api ? threads == 0 : threads >= 1, c + ": CNNLAB_WORKERS=" + threads);
            workers += api ? 0 : 1;
        }
        assertTrue(workers >= 2, "expected a CPU and a GPU worker Deployment, found " + workers);
        // compose: one process is API and worker, so it migrates and trains.
        Map<String, Object> tracker = composeEnv(deploy.composeServices().get("tracker"));
        assertEquals(
                "true", tracker.get("QUARKUS_FLYWAY_MIGRATE_AT_START"), "compose tracker Flyway");
        assertTrue(
                Integer.parseInt(String.valueOf(tracker.get("CNNLAB_WORKERS"))) >= 1,
                "compose workers");
    }

    @Test
    void gpuWorkersRequestAGpuAndRunTheCudaBuild() {
        int gpuWorkers = 0;
        for (Container c : ourContainers()) {
            Object gpus = map(c.spec(), "resources", "limits").get("nvidia.com/gpu");
            if (!String.valueOf(c.spec().get("image")).endsWith(":cuda")) {
                assertNull(gpus, c + ": asks for a GPU without the CUDA image");
                continue;
            }
            gpuWorkers++;
            assertEquals("1", String.valueOf(gpus), c + ": nvidia.com/gpu limit");
            assertFalse(
                    map(c.owner().podSpec(), "nodeSelector").isEmpty(), c + ": no nodeSelector");
            assertTrue(
                    list(c.owner().podSpec(), "tolerations").stream()
                            .anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))),
                    c + ": no nvidia.com/gpu toleration");
        }
        assertEquals(1, gpuWorkers, "GPU worker Deployments");
        // The CUDA base image must match the CUDA version of ND4J's backend in the cuda profile.
        String dockerfile =
                deploy.readmeBuilds().entrySet().stream()
                        .filter(e -> e.getValue().endsWith(":cuda"))
                        .findFirst()
                        .orElseThrow()
                        .getKey();
        Dockerfile cuda = Dockerfile.parse(deploy.repo.resolve(dockerfile));
        assertTrue(cuda.maven("-P").contains("cuda"), dockerfile + " does not build with -Pcuda");
        Matcher nd4j =
                Pattern.compile("nd4j-cuda-(\\d+\\.\\d+)").matcher(deploy.profileText("cuda"));
        assertTrue(nd4j.find(), "the cuda Maven profile names no nd4j-cuda-<version> artifact");
        assertTrue(
                cuda.finalBase().startsWith("nvidia/cuda:" + nd4j.group(1) + "."),
                cuda.finalBase() + " vs nd4j-cuda-" + nd4j.group(1));
    }

    @Test
    void databaseCredentialsComeFromTheOperatorsSecret() {
        String secret = cluster().name() + "-app";
        for (Container c : ourContainers()) {
            if (!c.app().name.equals("tracker")) {
                continue;
            }
            for (String name : DATASOURCE_ENV) {
                Object entry = env(c.spec()).get(name);
                assertTrue(entry instanceof Map, c + ": " + name + " must come from a Secret");
                @SuppressWarnings("unchecked")
                Map<String, Object> ref =
                        map((Map<String, Object>) entry, "valueFrom", "secretKeyRef");
                assertEquals(secret, ref.get("name"), c + ": " + name + " Secret");
                assertTrue(
                        CNPG_APP_SECRET_KEYS.contains(String.valueOf(ref.get("key"))),
                        c
                                + ": "
                                + name
                                + " reads key "
                                + ref.get("key")
                                + ", not one CloudNativePG writes");
            }
        }
        assertTrue(
                deploy.kind("Secret").isEmpty(),
                "no Secret is committed: the operator (or a person) writes it");
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            composeEnv(s.getValue())
                    .forEach(
                            (k, v) ->
                                    assertTrue(
                                            !k.contains("PASSWORD")
                                                    || String.valueOf(v)
                                                            .matches("\\$\\{\\w+(:?[?-][^}]*)?}"),
                                            "compose "
                                                    + s.getKey()
                                                    + ": "
                                                    + k
                                                    + " must come from the environment, ${...}"));
        }
    }

    @Test
    void apiTokensComeFromASecretOrTheEnvironment() {
        int apis = 0;
        for (Container c : ourContainers()) {
            boolean api =
                    services().stream().anyMatch(s -> deploy.selectedBy(s).contains(c.owner()));
            Object tokens = env(c.spec()).get("CNNLAB_AUTH_TOKENS");
            if (!c.app().name.equals("tracker") || !api) {
                assertNull(tokens, c + ": only the API stores the tokens");
                continue;
            }
            apis++;
            assertTrue(tokens instanceof Map, c + ": CNNLAB_AUTH_TOKENS must come from a Secret");
            @SuppressWarnings("unchecked")
            Map<String, Object> ref = map((Map<String, Object>) tokens, "valueFrom", "secretKeyRef");
            assertNotNull(ref.get("name"), c + ": CNNLAB_AUTH_TOKENS Secret");
            assertTrue(
                    String.valueOf(AppConfig.read(deploy.dir.resolve("README.md")))
                            .contains("create secret generic " + ref.get("name")),
                    "deploy/README.md never creates Secret " + ref.get("name"));
        }
        assertEquals(1, apis, "API Deployments");
        Object compose = composeEnv(deploy.composeServices().get("tracker")).get("CNNLAB_AUTH_TOKENS");
        assertTrue(
                String.valueOf(compose).matches("\\$\\{CNNLAB_AUTH_TOKENS:\\?[^}]+}"),
                "compose tracker: CNNLAB_AUTH_TOKENS must be required from the environment, got "
                        + compose);
    }

    @Test
    void dataDirectoriesLiveOnTheSharedVolume() {
        Set<String> claims = new TreeSet<>();
        for (Container c : ourContainers()) {
            for (Map.Entry<String, Object> e : env(c.spec()).entrySet()) {
                if (isDirectory(e)) {
                    String claim = claimHolding(c, String.valueOf(e.getValue()));
                    assertNotNull(claim, c + ": " + e + " is on no PersistentVolumeClaim");
                    Manifest pvc =
                            deploy.kind("PersistentVolumeClaim").stream()
                                    .filter(p -> p.name().equals(claim))
                                    .findFirst()
                                    .orElse(null);
                    assertNotNull(pvc, c + ": claim " + claim + " is not defined in deploy/k8s");
                    assertTrue(
                            String.valueOf(map(pvc.doc(), "spec").get("accessModes"))
                                    .contains("ReadWriteMany"),
                            pvc + " must be ReadWriteMany: every worker writes to it");
                    claims.add(claim);
                }
            }
        }
        assertEquals(1, claims.size(), "the API and the workers must share one volume: " + claims);
        for (ComposeService s : ourComposeServices()) {
            List<String> targets =
                    ((List<?>) s.spec().getOrDefault("volumes", List.of()))
                            .stream()
                                    .map(v -> String.valueOf(v).split(":")[1])
                                    .collect(Collectors.toList());
            composeEnv(s.spec()).entrySet().stream()
                    .filter(DeployFiles::isDirectory)
                    .forEach(
                            e ->
                                    assertNotNull(
                                            mountFor(targets, String.valueOf(e.getValue())),
                                            s + ": " + e + " is on no volume"));
        }
        for (Path f : deploy.dockerfiles()) {
            Dockerfile d = Dockerfile.parse(f);
            d.env().entrySet().stream()
                    .filter(DeployFiles::isDirectory)
                    .forEach(
                            e ->
                                    assertNotNull(
                                            mountFor(d.args("VOLUME"), e.getValue()),
                                            f + ": " + e + " is no VOLUME"));
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
            assertTrue(
                    m.matches(), rel + " is built as " + tag + ", not cnnlab/<module>:<variant>");
            assertEquals(
                    f.getParent().getFileName().toString(),
                    m.group(1),
                    rel + " builds another module's image");
            assertEquals(
                    Map.of(rel, tag),
                    DeployFiles.builds(Dockerfile.parse(f).comments()),
                    rel + ": the docker build in its header vs deploy/README.md");
        }
        builds.keySet()
                .forEach(
                        f ->
                                assertTrue(
                                        Files.exists(deploy.repo.resolve(f)),
                                        "README builds a missing " + f));
        List<Object> used = new ArrayList<>();
        deploy.workloads().forEach(w -> w.containers().forEach(c -> used.add(c.get("image"))));
        deploy.composeServices().values().forEach(s -> used.add(s.get("image")));
        used.stream()
                .map(String::valueOf)
                .filter(i -> i.startsWith("cnnlab/"))
                .forEach(
                        i ->
                                assertTrue(
                                        builds.containsValue(i),
                                        i + " is not built by deploy/README.md"));
        for (Map.Entry<String, Map<String, Object>> s : deploy.composeServices().entrySet()) {
            Map<String, Object> build = map(s.getValue(), "build");
            if (!build.isEmpty()) {
                assertEquals(
                        deploy.repo.normalize(),
                        deploy.dir.resolve(String.valueOf(build.get("context"))).normalize(),
                        "compose "
                                + s.getKey()
                                + ": the build context must be the repository root");
                assertEquals(
                        builds.get(String.valueOf(build.get("dockerfile"))),
                        s.getValue().get("image"),
                        "compose "
                                + s.getKey()
                                + ": image vs the README's tag for "
                                + build.get("dockerfile"));
            }
        }
    }

    @Test
    void dockerfilesCopyWhatTheRepositoryAndTheBuildProvide() {
        for (Path f : deploy.dockerfiles()) {
            Dockerfile d = Dockerfile.parse(f);
            for (Dockerfile.Copy copy : d.copies()) {
                // Build stages here work in /code, a copy of the repository.
                String src = copy.source().replaceFirst("^/code/", "");
                if (src.contains("target/quarkus-app")) {
                    assertFastJarEntry(f, src);
                } else if (src.contains("target/")) {
                    assertTrue(
                            copy.fromStage(),
                            f + ": copies " + src + ", which no host build produces");
                } else if (!copy.fromStage()) {
                    assertTrue(
                            Files.exists(deploy.repo.resolve(src)),
                            f + ": COPY source " + src + " does not exist");
                }
                if (!copy.fromStage()) {
                    assertFalse(
                            Dockerignore.ignores(d.ignorePatterns(), src),
                            f + ": its .dockerignore excludes " + src);
                }
            }
            d.maven("-P")
                    .forEach(
                            id ->
                                    assertFalse(
                                            deploy.profileText(id).isEmpty(),
                                            f + ": no pom in the reactor has a profile " + id));
            d.maven("-pl")
                    .forEach(
                            m ->
                                    assertTrue(
                                            Files.exists(deploy.repo.resolve(m).resolve("pom.xml")),
                                            f + ": no module " + m));
        }
    }

    @Test
    void theFunctionScalesToZeroWithAConcurrencyTarget() {
        List<Manifest> knative =
                deploy.workloads().stream()
                        .filter(Manifest::isKnative)
                        .collect(Collectors.toList());
        assertEquals(1, knative.size(), "Knative Services");
        Manifest fn = knative.get(0);
        Map<String, Object> annotations = map(fn.template(), "metadata", "annotations");
        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"), fn + ": min-scale");
        int target =
                Integer.parseInt(String.valueOf(annotations.get("autoscaling.knative.dev/target")));
        assertTrue(target > 0, fn + ": target " + target);
        int cap = (Integer) fn.podSpec().getOrDefault("containerConcurrency", 0);
        assertTrue(
                cap == 0 || cap >= target,
                fn + ": containerConcurrency " + cap + " < target " + target);
        Map<String, Object> c = fn.containers().get(0);
        assertEquals("function", app(c).name, fn + " does not run the function image");
        assertNotNull(map(c, "resources", "limits").get("memory"), fn + ": no memory limit");
        assertNotNull(map(c, "resources", "requests").get("cpu"), fn + ": no cpu request");
    }

    @Test
    void queueScalerCountsJobsTheSchemaHas() {
        for (Manifest so : deploy.kind("ScaledObject")) {
            String target = String.valueOf(map(so.doc(), "spec", "scaleTargetRef").get("name"));
            assertTrue(
                    deploy.workloads().stream().anyMatch(w -> w.name().equals(target)),
                    so + " scales unknown " + target);
            for (Map<String, Object> trigger : list(map(so.doc(), "spec"), "triggers")) {
                Map<String, Object> meta = map(trigger, "metadata");
                assertTrue(
                        String.valueOf(meta.get("host")).startsWith(cluster().name() + "-rw."),
                        so + ": host");
                String query = String.valueOf(meta.get("query"));
                Matcher from = Pattern.compile("(?i)\\bFROM\\s+(\\w+)").matcher(query);
                assertTrue(from.find(), so + ": no FROM in " + query);
                String table = deploy.tableDefinition(from.group(1));
                assertNotNull(table, so + ": migrations/ create no table " + from.group(1));
                Matcher column =
                        Pattern.compile("(?i)\\b(?:WHERE|AND|OR)\\s+(\\w+)").matcher(query);
                while (column.find()) {
                    // A column definition is a line "<name> <type> ...".
                    assertTrue(
                            Pattern.compile("(?m)^\\s*" + column.group(1) + "\\s+\\w+")
                                    .matcher(table)
                                    .find(),
                            so + ": " + from.group(1) + " has no column " + column.group(1));
                }
                Matcher value = Pattern.compile("'(\\w+)'").matcher(query);
                while (value.find()) {
                    assertTrue(
                            table.contains("'" + value.group(1) + "'"),
                            so + ": the schema allows no " + value.group());
                }
                String auth = String.valueOf(map(trigger, "authenticationRef").get("name"));
                Manifest ta =
                        deploy.kind("TriggerAuthentication").stream()
                                .filter(t -> t.name().equals(auth))
                                .findFirst()
                                .orElse(null);
                assertNotNull(ta, so + ": no TriggerAuthentication " + auth);
                list(map(ta.doc(), "spec"), "secretTargetRef")
                        .forEach(
                                ref ->
                                        assertEquals(
                                                cluster().name() + "-app",
                                                ref.get("name"),
                                                ta + ": Secret"));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<Container> ourContainers() {
        List<Container> out = new ArrayList<>();
        for (Manifest m : deploy.workloads()) {
            m.containers().stream()
                    .filter(c -> isOurs(c.get("image")))
                    .forEach(c -> out.add(new Container(m, c, app(c))));
        }
        return out;
    }

    private static List<ComposeService> ourComposeServices() {
        return deploy.composeServices().entrySet().stream()
                .filter(s -> isOurs(s.getValue().get("image")))
                .map(s -> new ComposeService(s.getKey(), s.getValue(), app(s.getValue())))
                .collect(Collectors.toList());
    }

    /** Kubernetes Services (Knative's are of another kind of Service). */
    private static List<Manifest> services() {
        return deploy.kind("Service").stream()
                .filter(s -> !s.isKnative())
                .collect(Collectors.toList());
    }

    private static Manifest cluster() {
        List<Manifest> clusters = deploy.kind("Cluster");
        assertEquals(1, clusters.size(), "CloudNativePG Clusters in deploy/k8s");
        return clusters.get(0);
    }

    private static Object probePath(Container c, String probe) {
        return map(c.spec(), probe, "httpGet").get("path");
    }

    /** The PersistentVolumeClaim mounted where a path lies, or null. */
    private static String claimHolding(Container c, String path) {
        for (Map<String, Object> mount : list(c.spec(), "volumeMounts")) {
            if (mountFor(List.of(String.valueOf(mount.get("mountPath"))), path) != null) {
                return list(c.owner().podSpec(), "volumes").stream()
                        .filter(v -> v.get("name").equals(mount.get("name")))
                        .map(v -> (String) map(v, "persistentVolumeClaim").get("claimName"))
                        .findFirst()
                        .orElse(null);
            }
        }
        return null;
    }

    private static void check(AppConfig app, String env, String where, Set<String> unknown) {
        if (!NOT_CONFIG.contains(env) && app.explain(env) == null) {
            unknown.add(env + " (" + app.name + ", " + where + ")");
        }
    }

    /** A fast-jar entry (lib/, app/, quarkus/, quarkus-run.jar) of a module that builds one. */
    private static void assertFastJarEntry(Path dockerfile, String src) {
        Matcher m = Pattern.compile("src/(\\w+)/target/quarkus-app/?(.*)").matcher(src);
        assertTrue(m.matches(), dockerfile + ": unexpected quarkus-app path " + src);
        String pom =
                AppConfig.read(deploy.repo.resolve("src").resolve(m.group(1)).resolve("pom.xml"));
        assertTrue(
                pom.contains("quarkus-maven-plugin") && pom.contains("<goal>build</goal>"),
                dockerfile + ": src/" + m.group(1) + " does not build a Quarkus application");
        AppConfig app = apps.get(m.group(1));
        String type = app == null ? null : app.prod("quarkus.package.jar.type");
        assertTrue(
                type == null || type.equals("fast-jar"),
                dockerfile + ": src/" + m.group(1) + " packages " + type);
        assertTrue(
                Set.of("lib", "app", "quarkus", "quarkus-run.jar")
                        .contains(m.group(2).replaceAll("/$", "")),
                dockerfile + ": " + src + " is not part of the fast-jar layout");
    }

    private static AppConfig app(Map<String, Object> containerOrService) {
        String image = String.valueOf(containerOrService.get("image"));
        Matcher m = DeployFiles.OUR_IMAGE.matcher(image);
        assertTrue(m.matches(), image + " is not a cnnlab image");
        AppConfig app = apps.get(m.group(1));
        assertNotNull(app, image + " names no Quarkus application of the reactor");
        return app;
    }

    private static AppConfig appOfDockerfile(Path dockerfile) {
        AppConfig app = apps.get(dockerfile.getParent().getFileName().toString());
        assertNotNull(app, dockerfile + " is not under deploy/<app>/");
        return app;
    }

    private static String literal(Container c, Map<String, Object> env, String name) {
        Object v = env.get(name);
        assertTrue(v instanceof String, c + ": " + name + " must be set to a literal, is " + v);
        return (String) v;
    }
}
