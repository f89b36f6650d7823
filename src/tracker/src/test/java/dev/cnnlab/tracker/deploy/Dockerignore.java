package dev.cnnlab.tracker.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;

/**
 * Docker's .dockerignore rule, enough for our files: the last pattern that matches a path or one of
 * its parent folders decides, and a '!' pattern re-includes.
 */
final class Dockerignore {
    private Dockerignore() {}

    /**
     * True when the build context would not contain {@code source} (a repository-relative path).
     */
    static boolean ignores(List<String> patterns, String source) {
        // A folder source ("lib/") stands for its contents: test a file inside it.
        String path = source.endsWith("/") ? source + "any-file" : source;
        boolean ignored = false;
        for (String raw : patterns) {
            String p = raw.trim();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean include = p.startsWith("!");
            p = strip(include ? p.substring(1) : p);
            if (matchesPathOrParent(p, path)) {
                ignored = !include;
            }
        }
        return ignored;
    }

    private static String strip(String p) {
        String s = p.replaceAll("^/+", "");
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean matchesPathOrParent(String pattern, String path) {
        var matchers =
                pattern.startsWith("**/")
                        ? List.of(
                                FileSystems.getDefault().getPathMatcher("glob:" + pattern),
                                FileSystems.getDefault()
                                        .getPathMatcher("glob:" + pattern.substring(3)))
                        : List.of(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            for (var m : matchers) {
                if (m.matches(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
