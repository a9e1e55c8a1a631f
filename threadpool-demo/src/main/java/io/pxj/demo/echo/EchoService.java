package io.pxj.demo.echo;

import io.pxj.runtime.ProtocolFactory;
import io.pxj.services.ChargenProtocol;
import io.pxj.services.DaytimeProtocol;
import io.pxj.services.DiscardProtocol;
import io.pxj.services.EchoProtocol;
import io.pxj.services.EchoUpperProtocol;
import io.pxj.services.LinesEchoProtocol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** The echo-family services of {@code io.pxj.services}, by the names the {@code echo} command accepts. */
public enum EchoService {
    ECHO("echo", "sends every byte back (zero-copy: returns the received buffer)", EchoProtocol::new),
    UPPER("upper", "sends every byte back, ASCII letters upper-cased", EchoUpperProtocol::new),
    LINES("lines", "lines mode: sends every complete line back, CRLF-terminated", LinesEchoProtocol::new),
    DISCARD("discard", "reads and drops everything (RFC 863)", DiscardProtocol::new),
    DAYTIME("daytime", "sends the date and time, then closes (RFC 867)", DaytimeProtocol::new),
    CHARGEN("chargen", "streams the RFC 864 character pattern until the client closes", ChargenProtocol::new);

    private final String cliName;
    private final String description;
    private final ProtocolFactory factory;

    EchoService(String cliName, String description, ProtocolFactory factory) {
        this.cliName = cliName;
        this.description = description;
        this.factory = factory;
    }

    /** One protocol instance per connection, from io.pxj.services. */
    public ProtocolFactory factory() {
        return factory;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The service called {@code name} (case-insensitive). */
    public static EchoService parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (EchoService s : values()) {
            if (s.cliName.equals(n) || ("echo-" + s.cliName).equals(n)) { return s; }
        }
        throw new IllegalArgumentException("unknown service '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        StringBuilder b = new StringBuilder();
        for (EchoService s : values()) {
            if (b.length() > 0) { b.append(", "); }
            b.append(s.cliName);
        }
        return b.toString();
    }

    /** For picocli's {@code completionCandidates}: the lower-case names. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (EchoService s : values()) { names.add(s.cliName); }
            return names.iterator();
        }
    }
}
