package io.pxj.runtime.behaviour;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a behaviour test method: {@link BackendTestSupport} builds the runtime on the test thread itself, which
 * therefore is the runtime's main thread, and starts no main loop; the test drives {@code px.runOnce} (see
 * {@link BackendTestSupport#pumpUntil}). Without it the runtime is built on a dedicated "px-test-main" thread that
 * runs {@code px.run()} until teardown.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ManualMainLoop {
}
