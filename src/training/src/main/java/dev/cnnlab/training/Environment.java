package dev.cnnlab.training;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run executes, stored with every run so results can be compared fairly.
 *
 * @param host           host name
 * @param backend        ND4J backend: "CPU" or "CUDA"
 * @param device         CPU model or GPU name(s)
 * @param cores          available processors
 * @param dl4jVersion    Deeplearning4j version
 * @param nd4jVersion    ND4J version
 * @param jvmVersion     Java runtime version and vendor
 * @param projectVersion cnnlab version
 */
public record Environment(String host, String backend, String device, int cores, String dl4jVersion,
                          String nd4jVersion, String jvmVersion, String projectVersion) {
    /** Describes the current process (initializes ND4J if needed). */
    public static Environment current() {
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(info.getOrDefault("backend", "unknown"));
        String backendClass = Nd4j.getBackend().getClass().getName();
        if ("unknown".equals(backend)) {
            backend = backendClass.toLowerCase().contains("cuda") ? "CUDA" : "CPU";
        }
        return new Environment(hostName(), backend.toUpperCase(), device(backend, info),
                Runtime.getRuntime().availableProcessors(),
                mavenVersion("org.deeplearning4j", "deeplearning4j-nn"), mavenVersion("org.nd4j", "nd4j-api"),
                System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                        + System.getProperty("java.vendor") + ")", readProjectVersion());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static String device(String backend, Properties info) {
        if ("CUDA".equalsIgnoreCase(backend)) {
            Object devices = info.get("cuda.devicesInformation");
            if (devices instanceof List<?> list && !list.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Object d : list) {
                    if (d instanceof Map<?, ?> m) {
                        sb.append(sb.length() > 0 ? ", " : "").append(m.get("cuda.deviceName"));
                    }
                }
                return sb.toString();
            }
            return "CUDA device";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String mavenVersion(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4j.class.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static String readProjectVersion() {
        try (InputStream in = Environment.class.getResourceAsStream("/cnnlab-training.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
