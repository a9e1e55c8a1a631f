package io.pxj.testfakes;

import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The CI / soak switch of the hardening tests: {@code mvn verify -Dpxj.soak=true} (the parent pom passes the
 * property to surefire) runs the long variants; without it every test uses its bounded CI size.
 */
public final class Soak {
    /** True when the long variants were asked for. */
    public static final boolean ON = Boolean.getBoolean("pxj.soak");
    /** How many times more jqwik tries a property gets in soak mode. */
    public static final int TRIES_FACTOR = 10;

    private Soak() {}

    /** {@code ci} normally, {@code soak} with {@code -Dpxj.soak=true}. */
    public static int size(int ci, int soak) {
        return ON ? soak : ci;
    }

    /**
     * A jqwik hook ({@code @AddLifecycleHook(value = Soak.Tries.class, propagateTo = ALL_DESCENDANTS)} on the class) that multiplies the tries of each property by
     * {@link #TRIES_FACTOR} in soak mode; a property's {@code tries} is its CI budget.
     */
    public static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            if (ON) {
                int tries = context.attributes().tries()
                        .orElseGet(() -> context.findAnnotation(Property.class).map(Property::tries).orElse(1000));
                if (tries <= 0) tries = 1000; // Property.TRIES_NOT_SET: jqwik's default
                context.attributes().setTries(tries * TRIES_FACTOR);
            }
            return property.execute();
        }
    }
}
