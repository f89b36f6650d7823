package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.auth.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query parameters arrive as strings so that a bad one is a 400 naming it, not JAX-RS's bare 404. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    /** What compare lists: every stored training field (schema order), then where the data came from. */
    static final List<String> COMPARED = java.util.stream.Stream.concat(RunSettings.trainingFields().stream(),
            java.util.stream.Stream.of("dataset", "heldOut")).toList();

    /** Training fields the list filters on by their own column (and query parameter above). */
    static final List<String> COLUMNS = List.of("architecture", "batchSize");

    @Inject
    RunQueries queries;
    @Inject
    RunService runs;
    @Inject
    Caller caller;

    @GET
    public RunQueries.Page list(@QueryParam("experiment") String experiment,
                                @QueryParam("architecture") String architecture,
                                @QueryParam("batchSize") String batchSize, @QueryParam("status") String status,
                                @QueryParam("sort") String sort, @QueryParam("page") String page,
                                @QueryParam("size") String size, @Context UriInfo uri) {
        String wanted = blank(status);
        if (wanted != null && Arrays.stream(RunStatus.values()).noneMatch(v -> v.name().equals(wanted))) {
            throw ApiException.badRequest("status must be one of " + Arrays.toString(RunStatus.values())
                    + ", got '" + status + "'");
        }
        // any other training field filters too: ?weightDecay=0.005&augmentation=crop-flip
        Map<String, Object> fields = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (RunSettings.isTrainingField(name) && !COLUMNS.contains(name) && blank(values.get(0)) != null) {
                try {
                    fields.put(name, RunSettings.jsonValue(name, values.get(0)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
            }
        });
        var filter = new RunQueries.Filter(number("experiment", experiment, 1, Long.MAX_VALUE),
                blank(architecture), toInt(number("batchSize", batchSize, 1, 4096)), wanted, fields);
        Long p = number("page", page, 0, 1_000_000);
        Long s = number("size", size, 1, 500);
        return queries.list(filter, sort, p == null ? 0 : p.intValue(), s == null ? 50 : s.intValue());
    }

    @GET
    @Path("{id}")
    public RunDetail get(@PathParam("id") long id) {
        return runs.detail(id);
    }

    @POST
    @Path("{id}/cancel")
    public RunSummary cancel(@PathParam("id") long id) {
        return runs.cancel(id, caller.name());
    }

    @POST
    @Path("{id}/retry")
    public RunSummary retry(@PathParam("id") long id) {
        return runs.retry(id, caller.name());
    }

    public record Parameter(String name, List<Object> values, boolean differs) {
    }

    public record Comparison(List<RunSummary> runs, List<Parameter> parameters) {
    }

    @GET
    @Path("compare")
    public Comparison compare(@QueryParam("ids") String ids) {
        if (blank(ids) == null) {
            throw ApiException.badRequest("ids is required: a comma-separated list of run ids, e.g. ids=1,2");
        }
        List<Long> runIds = new ArrayList<>();
        for (String part : ids.split(",")) {
            Long id = number("ids", part.trim(), 1, Long.MAX_VALUE);
            if (id != null && !runIds.contains(id)) {
                runIds.add(id);
            }
        }
        if (runIds.isEmpty() || runIds.size() > 100) {
            throw ApiException.badRequest("ids must name 1 to 100 runs, got " + runIds.size());
        }
        List<RunSummary> summaries = queries.summaries(runIds);
        List<Map<String, Object>> hps = runIds.stream().map(id -> runs.find(id).hyperparameters).toList();
        List<Parameter> parameters = new ArrayList<>();
        for (String name : COMPARED) {
            List<Object> values = hps.stream().map(settings -> normalize(settings.get(name))).toList();
            parameters.add(new Parameter(name, values, differs(hps, name)));
        }
        return new Comparison(summaries, parameters);
    }

    /** Whether runs' stored hyperparameters disagree on {@code name} (numbers compared by value). */
    public static boolean differs(List<Map<String, Object>> hyperparameters, String name) {
        return hyperparameters.stream().map(settings -> normalize(settings.get(name))).distinct().count() > 1;
    }

    /** JSON gives 32 back as Integer and 0.001 as Double; compare numbers by value. */
    private static Object normalize(Object value) {
        if (value instanceof Number n && !(value instanceof Double)) {
            return n.doubleValue() == n.longValue() ? (Object) n.longValue() : n.doubleValue();
        }
        return value;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }

    private static Long number(String name, String value, long min, long max) {
        if (blank(value) == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }
}
