package io.pxj.runtime.behaviour;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The behaviour suite on the IOCP + Windows thread pool backend; runs on the Windows CI runners only. Mirrors
 * {@code NioBehaviourTest} line for line.
 */
@DisplayName("behaviour suite [windows]")
@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
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
    @Nested class ResponseTimingWindows extends ResponseTimingBehaviour { @Override protected String backend() { return BACKEND; } }

    // The same behaviours over TLS: servers and clients with a TLS option, test sockets speaking TLS 1.3.
    @Nested class EchoTlsWindows extends EchoBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class SendTlsWindows extends SendBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LinesTlsWindows extends LinesBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LifecycleTlsWindows extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
}
