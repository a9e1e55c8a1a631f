package io.pxj.runtime.behaviour;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour suite on the nio backend over the native epoll transport (Linux). One {@code @Nested} class per suite; adding a suite
 * means adding one line here and one in {@code WindowsBehaviourTest}.
 */
@DisplayName("behaviour suite [epoll]")
@org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
class EpollBehaviourTest {
    static final String BACKEND = "epoll";

    @Nested class EchoEpoll extends EchoBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class SendEpoll extends SendBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LinesEpoll extends LinesBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class LifecycleEpoll extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WorkEpoll extends WorkBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class TimerEpoll extends TimerBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class WaitEpoll extends WaitBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class MainThreadEpoll extends MainThreadBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class IsolationEpoll extends IsolationBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ErrorEpoll extends ErrorBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ShutdownEpoll extends ShutdownBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class StatsEpoll extends StatsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class OptionsEpoll extends OptionsBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ProtectedEpoll extends ProtectedBehaviour { @Override protected String backend() { return BACKEND; } }
    @Nested class ResponseTimingEpoll extends ResponseTimingBehaviour { @Override protected String backend() { return BACKEND; } }

    // The same behaviours over TLS: servers and clients with a TLS option, test sockets speaking TLS 1.3.
    @Nested class EchoTlsEpoll extends EchoBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class SendTlsEpoll extends SendBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LinesTlsEpoll extends LinesBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
    @Nested class LifecycleTlsEpoll extends ConnectionLifecycleBehaviour { @Override protected String backend() { return BACKEND; } @Override protected boolean tls() { return true; } }
}
