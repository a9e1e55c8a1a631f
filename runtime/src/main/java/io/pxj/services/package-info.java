/**
 * The classic small TCP services as PxJ protocols (PyParallel's echo-family demos): {@link
 * io.pxj.services.EchoProtocol echo} (RFC 862), {@link io.pxj.services.EchoUpperProtocol echo-upper},
 * {@link io.pxj.services.LinesEchoProtocol lines}, {@link io.pxj.services.DiscardProtocol discard} (RFC 863),
 * {@link io.pxj.services.DaytimeProtocol daytime} (RFC 867), {@link io.pxj.services.ChargenProtocol chargen}
 * (RFC 864), {@link io.pxj.services.QotdProtocol qotd} (RFC 865) and {@link io.pxj.services.TimeProtocol time}
 * (RFC 868).
 *
 * <p>Each is one instance per connection ({@code px.server(address, EchoProtocol::new)}); callbacks run in the
 * connection's parallel context and keep no shared mutable state.
 */
package io.pxj.services;
