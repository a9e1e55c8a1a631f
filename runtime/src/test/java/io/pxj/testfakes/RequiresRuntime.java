package io.pxj.testfakes;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Disables a test class, with the reason in the report, while {@code Px.builder().build()} cannot make a runtime
 * (the core is a skeleton or no backend is installed). Once it can, the tests run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRuntime.Condition.class)
public @interface RequiresRuntime {
    /** The JUnit condition behind the annotation; probes once per JVM. */
    final class Condition implements ExecutionCondition {
        private static volatile String reason;
        private static volatile boolean probed;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!probed) {
                reason = LivePx.unavailableReason();
                probed = true;
            }
            return reason == null ? ConditionEvaluationResult.enabled("PxJ runtime available")
                    : ConditionEvaluationResult.disabled(reason);
        }
    }
}
