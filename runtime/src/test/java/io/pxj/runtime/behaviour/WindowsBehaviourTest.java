package io.pxj.runtime.behaviour;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The behaviour suite on the IOCP + Windows thread pool backend; runs on the Windows CI runners only. Mirrors
 * {@code NioBehaviourTest} line for line.
 */
@DisplayName("behaviour suite [windows]")
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "the windows backend (IOCP + thread pool) runs only on Windows;"
        + " its behaviour suite runs on the Windows CI runners")
class WindowsBehaviourTest {
    static final String BACKEND = "windows";

    @Nested class EchoWindows extends EchoBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class SendWindows extends SendBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LinesWindows extends LinesBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LifecycleWindows extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WorkWindows extends WorkBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class TimerWindows extends TimerBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WaitWindows extends WaitBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class MainThreadWindows extends MainThreadBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class IsolationWindows extends IsolationBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ErrorWindows extends ErrorBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ShutdownWindows extends ShutdownBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class StatsWindows extends StatsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class OptionsWindows extends OptionsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ProtectedWindows extends ProtectedBehaviour { @Override protected String backend() { return BACKEND; } }
}
