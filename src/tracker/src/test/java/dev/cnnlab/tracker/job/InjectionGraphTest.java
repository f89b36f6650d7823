package dev.cnnlab.tracker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tracker's beans, as their {@code @Inject} fields wire them, form no cycle; {@link Lifecycle},
 * which every other bean that changes a status calls, depends on none of them.
 */
class InjectionGraphTest {

    @Test
    void noBeanDependsOnItselfThroughOthers() throws Exception {
        Map<Class<?>, List<Class<?>>> graph = graph();
        assertTrue(graph.size() > 10, "found the tracker's beans: " + graph.keySet());
        for (Class<?> bean : graph.keySet()) {
            List<Class<?>> cycle = cycleFrom(bean, bean, graph, new ArrayList<>());
            assertTrue(cycle == null, () -> "injection cycle: " + cycle.stream().map(Class::getSimpleName).toList());
        }
    }

    @Test
    void lifecycleInjectsNoOtherBean() throws Exception {
        assertEquals(List.of(), graph().get(Lifecycle.class));
        assertTrue(graph().get(JobQueue.class).contains(Lifecycle.class), "the graph sees injections");
    }

    /** A path bean -> ... -> start, or null. */
    private static List<Class<?>> cycleFrom(Class<?> start, Class<?> at, Map<Class<?>, List<Class<?>>> graph,
                                           List<Class<?>> path) {
        path.add(at);
        for (Class<?> next : graph.getOrDefault(at, List.of())) {
            if (next == start) {
                path.add(next);
                return path;
            }
            if (!path.contains(next)) {
                List<Class<?>> found = cycleFrom(start, next, graph, path);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    /** Each main class of dev.cnnlab.tracker to the tracker classes its @Inject fields name. */
    private static Map<Class<?>, List<Class<?>>> graph() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Lifecycle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<Class<?>, List<Class<?>>> graph = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/cnnlab/tracker"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, InjectionGraphTest.class.getClassLoader());
                List<Class<?>> injected = new ArrayList<>();
                for (Field f : type.getDeclaredFields()) {
                    if (f.isAnnotationPresent(Inject.class) && f.getType().getName().startsWith("dev.cnnlab.tracker.")) {
                        injected.add(f.getType());
                    }
                }
                if (!injected.isEmpty() || type.isAnnotationPresent(jakarta.enterprise.context.ApplicationScoped.class)) {
                    graph.put(type, injected);
                }
            }
        }
        return graph;
    }
}
