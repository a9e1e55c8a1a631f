package io.pxj.runtime.behaviour;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour suite on the portable java.nio backend. One {@code @Nested} class per suite; adding a suite
 * means adding one line here and one in {@code WindowsBehaviourTest}.
 */
@DisplayName("behaviour suite [nio]")
class NioBehaviourTest {
    static final String BACKEND = "nio";

    @Nested class EchoNio extends EchoBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class SendNio extends SendBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LinesNio extends LinesBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LifecycleNio extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WorkNio extends WorkBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class TimerNio extends TimerBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WaitNio extends WaitBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class MainThreadNio extends MainThreadBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class IsolationNio extends IsolationBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ErrorNio extends ErrorBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ShutdownNio extends ShutdownBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class StatsNio extends StatsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class OptionsNio extends OptionsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ProtectedNio extends ProtectedBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ResponseTimingNio extends ResponseTimingBehaviour { @Override protected String backend() { return BACKEND; } }

    // The same behaviours over TLS: servers and clients with a TLS option, test sockets speaking TLS 1.3.
    @Nested class EchoTlsNio extends EchoBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class SendTlsNio extends SendBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LinesTlsNio extends LinesBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LifecycleTlsNio extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
}
