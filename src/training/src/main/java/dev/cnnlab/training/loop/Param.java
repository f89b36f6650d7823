package dev.cnnlab.training.loop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one field of a configuration record: its default, its range and a one-line description.
 * {@link ConfigSchema} reads these annotations, so the record is the only place a field is declared.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
    /** One line saying what the field does. */
    String description();

    /** The default as CLI text (an enum as {@code crop-flip}); empty means no default. */
    String defaultValue() default "";

    /** Allowed values in interval notation: {@code [1, 4096]}, {@code (0, 10]}, {@code [0, )}; empty = any. */
    String range() default "";

    /** The command-line option, without dashes; empty means the field name in kebab case. */
    String cli() default "";
}
