package dev.cnnlab.tracker.experiment;

import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.ConfigSchema.Range;
import dev.cnnlab.training.loop.TrainingConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/**
 * Describes the training fields, straight from {@link TrainingConfig#SCHEMA}, and the statuses of runs
 * and folds, straight from {@link RunStatus}, for forms, filters and scripts.
 */
@Path("/api/schema")
@Produces(MediaType.APPLICATION_JSON)
public class SchemaResource {

    /**
     * One training field. {@code specField} is where an experiment spec sets it (null: the tracker derives
     * it); {@code values} lists the allowed values of a field that has a fixed set.
     */
    public record FieldView(String name, String type, Object defaultValue, Double min, Boolean minInclusive,
                            Double max, Boolean maxInclusive, String range, String description, String cli,
                            String specField, List<String> values) {
    }

    /** A status of runs and folds; {@code finished}: no worker will change it (a retry may). */
    public record StatusView(RunStatus name, boolean finished) {
    }

    public record SchemaView(List<FieldView> fields, List<StatusView> statuses) {
    }

    @GET
    public SchemaView schema() {
        return new SchemaView(TrainingConfig.SCHEMA.fields().stream().map(SchemaResource::view).toList(),
                Arrays.stream(RunStatus.values()).map(s -> new StatusView(s, s.finished())).toList());
    }

    static FieldView view(Field f) {
        Range r = SpecParser.NARROWED.getOrDefault(f.name(), f.range());
        List<String> values = f.name().equals("architecture") ? Architectures.names() : f.values();
        String specField = SpecParser.DERIVED.contains(f.name()) ? null : SpecParser.specField(f.name());
        return new FieldView(f.name(), f.kind(), f.jsonDefault(), r == null || Double.isInfinite(r.min()) ? null : r.min(),
                r == null ? null : r.minInclusive(), r == null || Double.isInfinite(r.max()) ? null : r.max(),
                r == null ? null : r.maxInclusive(), r == null ? null : r.text(), f.description(), f.cli(), specField,
                values.isEmpty() ? null : values);
    }
}
