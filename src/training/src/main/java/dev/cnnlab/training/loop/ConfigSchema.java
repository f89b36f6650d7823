package dev.cnnlab.training.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a configuration record, read from its {@link Param} annotations, and everything
 * derived from them: defaults, range checks, command-line usage and parsing, and the JSON form
 * (enums as lower-case ids such as {@code crop-flip}) that is stored and read back.
 *
 * @param <T> the record type
 */
public final class ConfigSchema<T extends Record> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Class<T> type;
    private final List<Field> fields;
    private final Constructor<T> constructor;

    private ConfigSchema(Class<T> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        this.fields = Arrays.stream(components).map(Field::of).toList();
        try {
            this.constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor in " + type, e);
        }
    }

    /** Reads the schema of a record whose every component carries {@link Param}. */
    public static <T extends Record> ConfigSchema<T> of(Class<T> type) {
        return new ConfigSchema<>(type);
    }

    /** The fields in declaration order. */
    public List<Field> fields() {
        return fields;
    }

    /** The named field, if the schema has it. */
    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The default of every field that has one, typed. */
    public Map<String, Object> defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.stream().filter(f -> f.defaultValue() != null).forEach(f -> values.put(f.name(), f.defaultValue()));
        return values;
    }

    /**
     * Checks the canonical constructor's arguments, in declaration order, against every field's type
     * and range; throws {@link IllegalArgumentException} naming the first bad field and value.
     */
    public void check(Object... values) {
        if (values.length != fields.size()) {
            throw new IllegalStateException(type.getSimpleName() + " checks " + values.length + " of its "
                    + fields.size() + " fields");
        }
        for (int i = 0; i < values.length; i++) {
            Field f = fields.get(i);
            f.problem(values[i]).ifPresent(p -> {
                throw new IllegalArgumentException(f.name() + " " + p);
            });
        }
    }

    /** Builds a record from typed values; a missing value takes its default. */
    public T create(Map<String, ?> typed) {
        Object[] args = new Object[fields.size()];
        for (int i = 0; i < args.length; i++) {
            Field f = fields.get(i);
            args[i] = typed.containsKey(f.name()) ? typed.get(f.name()) : f.defaultValue();
            if (args[i] == null && f.type().isPrimitive()) {
                throw new IllegalArgumentException(f.name() + " is required");
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The typed values of a record, in declaration order. */
    public Map<String, Object> values(T config) {
        Map<String, Object> values = new LinkedHashMap<>();
        RecordComponent[] components = type.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            try {
                values.put(fields.get(i).name(), components[i].getAccessor().invoke(config));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    /** The record as JSON values (numbers, strings, enum ids), in declaration order. */
    public Map<String, Object> toJson(T config) {
        Map<String, Object> json = new LinkedHashMap<>();
        values(config).forEach((name, value) -> json.put(name, value instanceof Enum<?> e ? id(e) : value));
        return json;
    }

    /** Reads a record back from JSON values; keys that are not fields are ignored, missing ones default. */
    public T fromJson(Map<String, ?> json) {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Field f : fields) {
            if (json.get(f.name()) != null) {
                typed.put(f.name(), f.fromJson(json.get(f.name())));
            }
        }
        return create(typed);
    }

    /**
     * Builds a record from command-line options keyed by {@link Field#cli()}; options that are not
     * fields are ignored. A value that does not parse throws, naming the option and the value.
     */
    public T fromCli(Map<String, String> options) {
        return fromCli(options, null);
    }

    /** As {@link #fromCli(Map)}, starting from {@code base}'s values instead of the defaults (null: defaults). */
    public T fromCli(Map<String, String> options, T base) {
        Map<String, Object> typed = base == null ? new LinkedHashMap<>() : values(base);
        for (Field f : fields) {
            String text = options.get(f.cli());
            if (text != null) {
                typed.put(f.name(), f.parse("--" + f.cli(), text));
            }
        }
        return create(typed);
    }

    /** One usage line per field: option, description, range and default. */
    public String usage() {
        StringBuilder s = new StringBuilder();
        for (Field f : fields) {
            String option = "--" + f.cli() + " " + (f.values().isEmpty() ? f.metavar() : String.join("|", f.values()));
            // a long option takes its own line, so the descriptions stay in one column
            s.append(option.length() > 20 ? "  " + option + "\n" + " ".repeat(23) : String.format(Locale.ROOT, "  %-20s ",
                    option)).append(f.description());
            if (f.range() != null) {
                s.append(", ").append(f.range().text());
            }
            if (f.defaultValue() != null) {
                s.append(" (default ").append(f.jsonDefault()).append(')');
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The stored id of an enum constant: lower case, '_' as '-' (CROP_FLIP is "crop-flip"). */
    public static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses an enum id or constant name ("crop-flip", "CROP_FLIP"), naming the allowed ids if it fails. */
    public static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (id(e).equalsIgnoreCase(text) || e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + ids(type));
    }

    /** The ids of an enum's constants. */
    public static List<String> ids(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> id((Enum<?>) e)).toList();
    }

    /**
     * One field: name, type, typed default (null if none), range (null if any value goes), description
     * and command-line option.
     *
     * @param name         the record component's name
     * @param type         its type: int, long, double, boolean, String or an enum
     * @param defaultValue the typed default, or null
     * @param range        the allowed numbers, or null
     * @param description  one line
     * @param cli          the command-line option without dashes
     */
    public record Field(String name, Class<?> type, Object defaultValue, Range range, String description, String cli) {
        static Field of(RecordComponent c) {
            Param p = c.getAnnotation(Param.class);
            if (p == null) {
                throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName()
                        + " has no @Param");
            }
            String cli = p.cli().isEmpty() ? c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT) : p.cli();
            Field f = new Field(c.getName(), c.getType(), null, Range.parse(p.range()), p.description(), cli);
            return p.defaultValue().isEmpty() ? f : new Field(f.name, f.type, f.parse(f.name, p.defaultValue()),
                    f.range, f.description, cli);
        }

        /** The allowed ids of an enum field, else empty. */
        public List<String> values() {
            return type.isEnum() ? ids(type) : List.of();
        }

        /** The JSON type name: integer, number, boolean, string or enum. */
        public String kind() {
            if (type == int.class || type == long.class) {
                return "integer";
            }
            if (type == double.class) {
                return "number";
            }
            if (type == boolean.class) {
                return "boolean";
            }
            return type.isEnum() ? "enum" : "string";
        }

        /** The default in its JSON form, or null. */
        public Object jsonDefault() {
            return defaultValue instanceof Enum<?> e ? id(e) : defaultValue;
        }

        /** Why a typed value is not allowed ("must be between 1 and 4096, got 0"), or empty. */
        public Optional<String> problem(Object value) {
            if (value == null) {
                return Optional.of("is required, got null");
            }
            if (value instanceof String s && s.isBlank()) {
                return Optional.of("must not be blank, got '" + s + "'");
            }
            if (range != null && value instanceof Number n && !range.contains(n.doubleValue())) {
                return Optional.of("must be " + range.text() + ", got " + value);
            }
            return Optional.empty();
        }

        /** Parses command-line text; {@code what} names the source in the message. */
        public Object parse(String what, String text) {
            try {
                if (type == int.class) {
                    return Integer.parseInt(text.trim());
                } else if (type == long.class) {
                    return Long.parseLong(text.trim());
                } else if (type == double.class) {
                    return Double.parseDouble(text.trim());
                } else if (type == boolean.class) {
                    return Boolean.parseBoolean(text.trim());
                } else if (type.isEnum()) {
                    return enumValue(text);
                }
                return text;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " needs " + (kind().equals("integer") ? "an integer" : "a number")
                        + ", got '" + text + "'");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " " + e.getMessage(), e);
            }
        }

        /** Converts a stored JSON value (a number, a string, an enum id) to this field's type. */
        public Object fromJson(Object json) {
            if (type.isEnum()) {
                return enumValue(String.valueOf(json));
            }
            return JSON.convertValue(json, type);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object enumValue(String text) {
            return parseEnum((Class) type, text.trim());
        }

        String metavar() {
            return switch (kind()) {
                case "integer" -> "N";
                case "number" -> "X";
                default -> "TEXT";
            };
        }
    }

    /**
     * An interval of numbers; either end may be open or unbounded.
     *
     * @param min          the lower end ({@code -Infinity} if none)
     * @param minInclusive whether {@code min} is allowed
     * @param max          the upper end ({@code Infinity} if none)
     * @param maxInclusive whether {@code max} is allowed
     */
    public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
        /** Parses {@code [1, 4096]}, {@code (0, 10]}, {@code [0, 1)} or {@code [0, )}; empty gives null. */
        public static Range parse(String text) {
            if (text.isBlank()) {
                return null;
            }
            String t = text.trim();
            String[] ends = t.substring(1, t.length() - 1).split(",", -1);
            if (ends.length != 2 || "[(".indexOf(t.charAt(0)) < 0 || "])".indexOf(t.charAt(t.length() - 1)) < 0) {
                throw new IllegalStateException("bad range '" + text + "'");
            }
            double min = ends[0].isBlank() ? Double.NEGATIVE_INFINITY : Double.parseDouble(ends[0].trim());
            double max = ends[1].isBlank() ? Double.POSITIVE_INFINITY : Double.parseDouble(ends[1].trim());
            return new Range(min, t.charAt(0) == '[', max, t.charAt(t.length() - 1) == ']');
        }

        /** Whether the value lies in the interval (NaN never does). */
        public boolean contains(double v) {
            return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        }

        /** The interval in words: "between 1 and 4096", "in (0, 10]", ">= 0 and < 1", ">= 0". */
        public String text() {
            if (Double.isInfinite(max)) {
                return (minInclusive ? ">= " : "> ") + number(min);
            }
            if (minInclusive && maxInclusive) {
                return "between " + number(min) + " and " + number(max);
            }
            if (minInclusive) {
                return ">= " + number(min) + " and < " + number(max);
            }
            return "in (" + number(min) + ", " + number(max) + (maxInclusive ? "]" : ")");
        }

        /** A bound as written: 4096, not 4096.0. */
        public static String number(double v) {
            return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        }
    }
}
